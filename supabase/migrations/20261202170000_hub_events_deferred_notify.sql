-- Webhook ingest at volume: a transaction that NOTIFYs takes PostgreSQL's notify-queue lock before
-- its commit record and holds it until the commit is flushed, so every ingest transaction waited
-- for the one before it to reach the disk (measured: 2,400 → 900 single-message POSTs/s once the
-- inbox's realtime triggers of 20261201000700 were on the ingest path).
--
-- The hub's realtime triggers now hand their payloads to public.hub_events_emit. By default it
-- NOTIFYs as before (API changes, the worker, any SQL). Inside the *_deferred ingest entry points
-- it collects them instead, and they come back in the result; the API server NOTIFYs them right
-- after the commit, in a transaction of their own that writes no WAL, so nobody waits on a flush.
-- A POST whose subtransaction fails leaves no payloads behind: set_config(…, true) is undone with it.
create or replace function public.hub_events_emit(p_payloads text[])
returns void
language plpgsql
set search_path = ''
as $$
begin
  if coalesce(array_length(p_payloads, 1), 0) = 0 then
    return;
  end if;
  if current_setting('wabase.defer_hub_events', true) = 'on' then
    -- JSON texts never hold a raw newline: one payload per line.
    perform set_config('wabase.deferred_hub_events',
      concat_ws(E'\n', nullif(current_setting('wabase.deferred_hub_events', true), ''), array_to_string(p_payloads, E'\n')), true);
  else
    perform pg_notify('wabase_hub_events', p) from unnest(p_payloads) p;
  end if;
end;
$$;

create or replace function public.notify_wa_threads_changed()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform public.hub_events_emit(array(
    select json_build_object('kind', 'thread.updated', 'workspaceId', r.workspace_id, 'threadId', r.id, 'at', now())::text
    from (select distinct c.workspace_id, c.id from changed c) r));
  return null;
end;
$$;

create or replace function public.notify_wa_messages_created()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform public.hub_events_emit(array(
    select json_build_object('kind', 'message.created', 'workspaceId', r.workspace_id, 'threadId', r.thread_id,
      'messageId', case when r.n = 1 then r.message_id end, 'at', now())::text
    from (select c.workspace_id, c.thread_id, count(*) as n, min(c.id::text) as message_id
          from changed c group by c.workspace_id, c.thread_id) r));
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
  perform public.hub_events_emit(array(
    select json_build_object('kind', 'message.status', 'workspaceId', r.workspace_id, 'threadId', r.thread_id,
      'messageId', case when r.n = 1 then r.message_id end, 'at', now())::text
    from (select c.workspace_id, c.thread_id, count(*) as n, min(c.id::text) as message_id
          from changed c join previous p on p.id = c.id
          where c.status is distinct from p.status or c.error_code is distinct from p.error_code
          group by c.workspace_id, c.thread_id) r));
  return null;
end;
$$;

-- A reaction is shown on its message (20261202160100): the same event as a status change.
create or replace function public.notify_wa_message_reactions_changed()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform public.hub_events_emit(array(
    select json_build_object('kind', 'message.status', 'workspaceId', r.workspace_id, 'threadId', r.thread_id, 'messageId', r.message_id, 'at', now())::text
    from (select distinct c.workspace_id, c.thread_id, c.message_id from changed c) r));
  return null;
end;
$$;

-- One POST's events, as ingest_meta_webhook_events, with the realtime payloads in the result
-- (`hubEvents`, and `mediaJobs` when the media worker is to be woken) instead of NOTIFYs in this
-- transaction. The caller publishes them after COMMIT.
create or replace function public.ingest_meta_webhook_events_deferred(p_events jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_result jsonb;
begin
  perform set_config('wabase.defer_hub_events', 'on', true);
  perform set_config('wabase.deferred_hub_events', '', true);
  perform set_config('wabase.deferred_media_jobs', '', true);
  v_result := public.ingest_meta_webhook_events(p_events);
  v_result := v_result || jsonb_build_object('hubEvents',
    coalesce(string_to_array(nullif(current_setting('wabase.deferred_hub_events', true), ''), E'\n'), '{}'::text[]),
    -- A trigger queued media for the worker (wa_message_media, later): its wake-up goes out after the commit too.
    'mediaJobs', coalesce(current_setting('wabase.deferred_media_jobs', true) = 'on', false));
  perform set_config('wabase.deferred_hub_events', '', true);
  perform set_config('wabase.deferred_media_jobs', '', true);
  perform set_config('wabase.defer_hub_events', 'off', true);
  return v_result;
end;
$$;

-- Several POSTs in one transaction, each in its own subtransaction (ingest_meta_webhook_posts), deferred.
create or replace function public.ingest_meta_webhook_posts_deferred(p_posts jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_post jsonb;
  v_results jsonb := '[]'::jsonb;
begin
  for v_post in select value from jsonb_array_elements(p_posts) loop
    begin
      v_results := v_results || jsonb_build_array(public.ingest_meta_webhook_events_deferred(v_post));
    exception when others then
      v_results := v_results || jsonb_build_array(jsonb_build_object('error', jsonb_build_object('code', sqlstate, 'message', sqlerrm)));
    end;
  end loop;
  return v_results;
end;
$$;

-- The triggers run as whoever changed the row (a member through the API, the service role), and a
-- trigger's inner calls are checked then: members keep it. anon writes no hub table.
revoke all on function public.hub_events_emit(text[]) from public, anon;
grant execute on function public.hub_events_emit(text[]) to authenticated, service_role;
-- Server-only, as ingest_meta_webhook_events: webhooks are not a browser's business.
revoke all on function public.ingest_meta_webhook_events_deferred(jsonb) from public, anon, authenticated;
grant execute on function public.ingest_meta_webhook_events_deferred(jsonb) to service_role;
revoke all on function public.ingest_meta_webhook_posts_deferred(jsonb) from public, anon, authenticated;
grant execute on function public.ingest_meta_webhook_posts_deferred(jsonb) to service_role;
