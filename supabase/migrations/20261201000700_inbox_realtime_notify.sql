-- Team inbox realtime (issue 13): every change to a thread or a message notifies the channel
-- wabase_hub_events, in the transaction of the change, so a NOTIFY reaches listeners only after
-- COMMIT. Statement-level triggers with transition tables send one notification per changed
-- thread per statement (a webhook POST of 1,000 messages for one thread sends one, not 1,000).
-- Payloads carry ids only: the API server filters them per workspace and the browser re-reads.
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

drop trigger if exists wa_threads_notify_insert on public.wa_threads;
create trigger wa_threads_notify_insert
  after insert on public.wa_threads referencing new table as changed
  for each statement execute function public.notify_wa_threads_changed();

drop trigger if exists wa_threads_notify_update on public.wa_threads;
create trigger wa_threads_notify_update
  after update on public.wa_threads referencing new table as changed
  for each statement execute function public.notify_wa_threads_changed();

drop trigger if exists wa_messages_notify_insert on public.wa_messages;
create trigger wa_messages_notify_insert
  after insert on public.wa_messages referencing new table as changed
  for each statement execute function public.notify_wa_messages_created();

drop trigger if exists wa_messages_notify_status on public.wa_messages;
create trigger wa_messages_notify_status
  after update on public.wa_messages referencing old table as previous new table as changed
  for each statement execute function public.notify_wa_messages_status();

-- The inbox's status tabs: counts per status under the list's other filters. RLS would call
-- is_workspace_member() once per thread (100,000 calls for a big workspace); this checks the
-- caller once and counts with one index scan. A non-member gets zeros, like RLS would.
create or replace function public.wa_thread_counts(
  p_workspace_id uuid,
  p_assignee text default null,
  p_tag text default null,
  p_pattern text default null
)
returns table (status text, n bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select t.status, count(*)
  from public.wa_threads t
  where public.is_workspace_member(p_workspace_id)
    and t.workspace_id = p_workspace_id
    and (p_assignee is null or (p_assignee = 'unassigned' and t.assigned_to is null) or t.assigned_to::text = p_assignee)
    and (p_tag is null or exists (select 1 from public.wa_thread_tags tt where tt.workspace_id = p_workspace_id and tt.thread_id = t.id and tt.tag = p_tag))
    and (p_pattern is null or (coalesce(t.contact_name, '') || ' ' || t.contact_wa_id || ' ' || coalesce(t.last_message_preview, '')) ilike p_pattern)
  group by t.status
$$;
revoke all on function public.wa_thread_counts(uuid, text, text, text) from public, anon;
grant execute on function public.wa_thread_counts(uuid, text, text, text) to authenticated;

-- Who may be assigned a thread: the workspace's members with their email (auth.users is not
-- readable by members), for members of that workspace only.
create or replace function public.workspace_member_directory(p_workspace_id uuid)
returns table (user_id uuid, email text, role text)
language sql
stable
security definer
set search_path = ''
as $$
  select m.user_id, u.email::text, m.role
  from public.workspace_memberships m
  join auth.users u on u.id = m.user_id
  where public.is_workspace_member(p_workspace_id) and m.workspace_id = p_workspace_id
  order by lower(u.email::text), m.user_id
$$;
revoke all on function public.workspace_member_directory(uuid) from public, anon;
grant execute on function public.workspace_member_directory(uuid) to authenticated;

-- The inbox's tag filter: the workspace's tags with how many threads carry each, checked once
-- for membership instead of per tag row.
create or replace function public.wa_workspace_tags(p_workspace_id uuid)
returns table (tag text, threads bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select tt.tag, count(*)
  from public.wa_thread_tags tt
  where public.is_workspace_member(p_workspace_id) and tt.workspace_id = p_workspace_id
  group by tt.tag
  order by tt.tag
  limit 500
$$;
revoke all on function public.wa_workspace_tags(uuid) from public, anon;
grant execute on function public.wa_workspace_tags(uuid) to authenticated;
