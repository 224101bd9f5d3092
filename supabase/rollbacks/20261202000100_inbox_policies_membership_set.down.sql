-- Back to the per-row membership check of 20260115000000_meta_hub_core (same access, slower).
drop policy if exists wa_threads_member_all on public.wa_threads;
create policy wa_threads_member_all on public.wa_threads
  for all to authenticated
  using (public.is_workspace_member(workspace_id))
  with check (public.is_workspace_member(workspace_id));

drop policy if exists wa_thread_tags_member_all on public.wa_thread_tags;
create policy wa_thread_tags_member_all on public.wa_thread_tags
  for all to authenticated
  using (public.is_workspace_member(workspace_id))
  with check (public.is_workspace_member(workspace_id));

drop policy if exists wa_messages_member_read on public.wa_messages;
create policy wa_messages_member_read on public.wa_messages
  for select to authenticated
  using (public.is_workspace_member(workspace_id));

drop function if exists public.my_workspace_ids();
drop function if exists public.wa_thread_page(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer);
-- plpgsql → sql: a different language needs the old function dropped first.
drop function if exists public.wa_thread_counts(uuid, text, text, text, integer);

-- The counts as 20261201000700_inbox_realtime_notify made them.
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

