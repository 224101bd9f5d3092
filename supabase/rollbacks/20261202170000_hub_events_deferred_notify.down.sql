-- Back to NOTIFY inside the changing transaction (20261201000700's trigger functions); the deferred
-- ingest entry points go, and the API server calls ingest_meta_webhook_events again.
create or replace function public.notify_wa_threads_changed()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('wabase_hub_events', json_build_object(
    'kind', 'thread.updated', 'workspaceId', r.workspace_id, 'threadId', r.id, 'at', now())::text)
  from (select distinct c.workspace_id, c.id from changed c) r;
  return null;
end;
$$;

create or replace function public.notify_wa_messages_created()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('wabase_hub_events', json_build_object(
    'kind', 'message.created', 'workspaceId', r.workspace_id, 'threadId', r.thread_id,
    'messageId', case when r.n = 1 then r.message_id end, 'at', now())::text)
  from (select c.workspace_id, c.thread_id, count(*) as n, min(c.id::text) as message_id
        from changed c group by c.workspace_id, c.thread_id) r;
  return null;
end;
$$;

-- Only a changed status (or its error) is news; other updates of a message stay quiet.
create or replace function public.notify_wa_messages_status()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('wabase_hub_events', json_build_object(
    'kind', 'message.status', 'workspaceId', r.workspace_id, 'threadId', r.thread_id,
    'messageId', case when r.n = 1 then r.message_id end, 'at', now())::text)
  from (select c.workspace_id, c.thread_id, count(*) as n, min(c.id::text) as message_id
        from changed c join previous p on p.id = c.id
        where c.status is distinct from p.status or c.error_code is distinct from p.error_code
        group by c.workspace_id, c.thread_id) r;
  return null;
end;
$$;

create or replace function public.notify_wa_message_reactions_changed()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('wabase_hub_events', json_build_object(
    'kind', 'message.status', 'workspaceId', r.workspace_id, 'threadId', r.thread_id, 'messageId', r.message_id, 'at', now())::text)
  from (select distinct c.workspace_id, c.thread_id, c.message_id from changed c) r;
  return null;
end;
$$;

drop function if exists public.ingest_meta_webhook_posts_deferred(jsonb);
drop function if exists public.ingest_meta_webhook_events_deferred(jsonb);
drop function if exists public.hub_events_emit(text[]);
