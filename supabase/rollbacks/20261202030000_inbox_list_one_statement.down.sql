-- Back to 20261202000100's list and counts (the API of that version calls them by these names).
create or replace function public.wa_thread_page(
  p_workspace_id uuid,
  p_status text,
  p_assignee uuid,
  p_unassigned boolean,
  p_tag text,
  p_pattern text,
  p_after_at timestamptz,
  p_after_id uuid,
  p_limit integer
)
returns table (id uuid, sort_at timestamptz)
language plpgsql
stable
security definer
-- A page is at most 101 rows: without this the planner expects 1,000 and joins the page to
-- wa_threads by scanning every thread (120 ms at 100,000) instead of looking each one up.
rows 31
set search_path = ''
as $$
begin
  if not public.is_workspace_member(p_workspace_id) then
    return;
  end if;
  return query execute $q$
    select t.id, coalesce(t.last_message_at, '-infinity'::timestamptz)
    from public.wa_threads t
    where t.workspace_id = $1
      and ($2::text is null or t.status = $2)
      and ($3::uuid is null or t.assigned_to = $3)
      and (not $4 or t.assigned_to is null)
      and ($5::text is null or exists (select 1 from public.wa_thread_tags tt where tt.workspace_id = $1 and tt.thread_id = t.id and tt.tag = $5))
      and ($6::text is null or (coalesce(t.contact_name, '') || ' ' || t.contact_wa_id || ' ' || coalesce(t.last_message_preview, '')) ilike $6)
      and ($7::timestamptz is null or (coalesce(t.last_message_at, '-infinity'::timestamptz), t.id) < ($7, $8))
    order by 2 desc, 1 desc
    limit $9
  $q$ using p_workspace_id, p_status, p_assignee, coalesce(p_unassigned, false), p_tag, p_pattern, p_after_at, p_after_id, p_limit;
end
$$;
revoke all on function public.wa_thread_page(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer) from public, anon;
grant execute on function public.wa_thread_page(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer) to authenticated;

-- The status tabs: the same filters (a text assignee: a member's id or 'unassigned', as before),
-- each status counted up to p_cap + 1 rows, so a tab of a 100,000-thread workspace costs at most
-- p_cap index entries (the page shows "1,000+"), never a scan of the workspace.
create or replace function public.wa_thread_counts(
  p_workspace_id uuid,
  p_assignee text,
  p_tag text,
  p_pattern text,
  p_cap integer
)
returns table (status text, n bigint)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not public.is_workspace_member(p_workspace_id) then
    return;
  end if;
  return query execute $q$
    select s.status, (
      select count(*) from (
        select 1 from public.wa_threads t
        where t.workspace_id = $1
          and t.status = s.status
          and ($2::uuid is null or t.assigned_to = $2)
          and (not $3 or t.assigned_to is null)
          and ($4::text is null or exists (select 1 from public.wa_thread_tags tt where tt.workspace_id = $1 and tt.thread_id = t.id and tt.tag = $4))
          and ($5::text is null or (coalesce(t.contact_name, '') || ' ' || t.contact_wa_id || ' ' || coalesce(t.last_message_preview, '')) ilike $5)
        limit $6
      ) capped)
    from unnest(array['open', 'pending', 'closed']) as s(status)
  $q$ using p_workspace_id,
    case when p_assignee is not null and p_assignee <> 'unassigned' then p_assignee::uuid end,
    coalesce(p_assignee = 'unassigned', false), p_tag, p_pattern, p_cap + 1;
end
$$;
revoke all on function public.wa_thread_counts(uuid, text, text, text, integer) from public, anon;
grant execute on function public.wa_thread_counts(uuid, text, text, text, integer) to authenticated;

drop function if exists public.wa_inbox_page(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer);
drop function if exists public.wa_inbox_counts(uuid, text, text, text, integer);
drop function if exists public.wa_inbox_filter_sql(boolean, boolean, boolean, boolean, boolean);

drop trigger if exists wa_threads_status_to_tags on public.wa_threads;
drop function if exists public.wa_threads_status_to_tags();
drop trigger if exists wa_thread_tags_copy_status on public.wa_thread_tags;
drop function if exists public.wa_thread_tags_copy_status();
drop index if exists public.wa_thread_tags_workspace_tag_status_idx;
alter table public.wa_thread_tags drop column if exists status;
