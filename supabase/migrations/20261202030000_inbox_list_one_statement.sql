-- The inbox's list and status counts in one statement each (issue 13's bench: p99 over 20 ms).
--
-- 1. The WHERE clause names only the filters that are set. The old functions wrote every filter as
--    `($n is null or …)`; the planner folds the unset ones away, but too late to turn the tag's
--    EXISTS into a join, so every tag filter read all the workspace's tags into a hash (10 ms).
-- 2. The page returns whole rows, tags included: the caller no longer joins the ids back to
--    wa_threads under RLS, a second plan and one more round of policy checks per request.
-- 3. A non-member gets SQLSTATE P0002 `workspace_not_found` instead of an empty page, so the API
--    no longer asks the membership question in a round trip of its own first.
-- 4. Counts: a tag alone is counted from wa_thread_tags, which now carries its thread's status
--    (kept by triggers: status changes only by a person's action, never by webhook ingest), so a
--    tag tab reads at most the cap's worth of index entries instead of joining every tagged
--    thread. When a search or a tag with other filters narrows the list, one pass counts every
--    match per status if there are at most 10,000 (one index scan instead of one per status);
--    past that, and with no such filter, each status is counted up to the cap as before.
--
-- The fragments are constants chosen by which parameters are set; values only ever travel as
-- parameters ($1 workspace, $2 status, $3 assignee, $4 tag, $5 pattern, then the caller's own).

-- wa_thread_tags.status: the status of the tag's thread, for the tag tab's counts.
alter table public.wa_thread_tags add column if not exists status text;

-- Whatever a caller writes, a tag row holds its thread's status.
create or replace function public.wa_thread_tags_copy_status()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.status := (select t.status from public.wa_threads t where t.id = new.thread_id);
  return new;
end
$$;
revoke all on function public.wa_thread_tags_copy_status() from public, anon, authenticated;

drop trigger if exists wa_thread_tags_copy_status on public.wa_thread_tags;
create trigger wa_thread_tags_copy_status
  before insert or update on public.wa_thread_tags
  for each row execute function public.wa_thread_tags_copy_status();

create or replace function public.wa_threads_status_to_tags()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update public.wa_thread_tags tt set status = new.status where tt.thread_id = new.id;
  return null;
end
$$;
revoke all on function public.wa_threads_status_to_tags() from public, anon, authenticated;

-- `update of status`: webhook ingest never sets status, so this trigger is not even considered there.
drop trigger if exists wa_threads_status_to_tags on public.wa_threads;
create trigger wa_threads_status_to_tags
  after update of status on public.wa_threads
  for each row when (old.status is distinct from new.status)
  execute function public.wa_threads_status_to_tags();

update public.wa_thread_tags tt set status = t.status
  from public.wa_threads t
  where t.id = tt.thread_id and tt.status is distinct from t.status;

create index if not exists wa_thread_tags_workspace_tag_status_idx
  on public.wa_thread_tags (workspace_id, tag, status);

create or replace function public.wa_inbox_filter_sql(
  p_status boolean,
  p_assignee boolean,
  p_unassigned boolean,
  p_tag boolean,
  p_pattern boolean
)
returns text
language sql
immutable
set search_path = ''
as $$
  select 't.workspace_id = $1'
    || case when p_status then ' and t.status = $2' else '' end
    || case when p_assignee then ' and t.assigned_to = $3' else '' end
    || case when p_unassigned then ' and t.assigned_to is null' else '' end
    || case when p_tag then ' and exists (select 1 from public.wa_thread_tags tt where tt.workspace_id = $1 and tt.thread_id = t.id and tt.tag = $4)' else '' end
    || case when p_pattern then ' and (coalesce(t.contact_name, '''') || '' '' || t.contact_wa_id || '' '' || coalesce(t.last_message_preview, '''')) ilike $5' else '' end
$$;
revoke all on function public.wa_inbox_filter_sql(boolean, boolean, boolean, boolean, boolean) from public, anon;


create or replace function public.wa_inbox_page(
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
returns table (
  id uuid,
  workspace_id uuid,
  connection_id uuid,
  phone_number_id text,
  contact_wa_id text,
  contact_name text,
  status text,
  assigned_to uuid,
  unread_count integer,
  last_message_preview text,
  last_message_at timestamptz,
  tags text[],
  sort_at timestamptz
)
language plpgsql
stable
security definer
rows 31
set search_path = ''
as $$
begin
  if not public.is_workspace_member(p_workspace_id) then
    raise exception using errcode = 'P0002', message = 'workspace_not_found';
  end if;
  return query execute
    'select t.id, t.workspace_id, t.connection_id, t.phone_number_id, t.contact_wa_id, t.contact_name, t.status, t.assigned_to,
            t.unread_count, t.last_message_preview, t.last_message_at,
            coalesce((select array_agg(g.tag order by g.tag) from public.wa_thread_tags g where g.thread_id = t.id), ''{}''),
            coalesce(t.last_message_at, ''-infinity''::timestamptz)
       from public.wa_threads t
      where ' || public.wa_inbox_filter_sql(p_status is not null, p_assignee is not null, coalesce(p_unassigned, false), p_tag is not null, p_pattern is not null)
    || case when p_after_at is not null then ' and (coalesce(t.last_message_at, ''-infinity''::timestamptz), t.id) < ($6, $7)' else '' end
    || ' order by coalesce(t.last_message_at, ''-infinity''::timestamptz) desc, t.id desc limit $8'
  using p_workspace_id, p_status, p_assignee, p_tag, p_pattern, p_after_at, p_after_id, p_limit;
end
$$;
revoke all on function public.wa_inbox_page(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer) from public, anon;
grant execute on function public.wa_inbox_page(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer) to authenticated;

create or replace function public.wa_inbox_counts(
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
declare
  assignee uuid := case when p_assignee is not null and p_assignee <> 'unassigned' then p_assignee::uuid end;
  filter text := public.wa_inbox_filter_sql(false, assignee is not null, coalesce(p_assignee = 'unassigned', false), p_tag is not null, p_pattern is not null);
  pass record;
  counted jsonb := '{}';
  matches bigint := 0;
begin
  if not public.is_workspace_member(p_workspace_id) then
    raise exception using errcode = 'P0002', message = 'workspace_not_found';
  end if;
  if p_tag is not null and assignee is null and p_assignee is null and p_pattern is null then
    return query select s.status, (
        select count(*) from (
          select 1 from public.wa_thread_tags tt
          where tt.workspace_id = p_workspace_id and tt.tag = p_tag and tt.status = s.status
          limit p_cap + 1) capped)
      from unnest(array['open', 'pending', 'closed']) as s(status);
    return;
  end if;
  if p_tag is not null or p_pattern is not null then
    -- A narrowing filter: count every match in one pass when there are few enough.
    for pass in execute 'select m.status, count(*) as n from (select t.status from public.wa_threads t where '
      || filter || ' limit 10001) m group by m.status'
      using p_workspace_id, null::text, assignee, p_tag, p_pattern
    loop
      counted := counted || jsonb_build_object(pass.status, pass.n);
      matches := matches + pass.n;
    end loop;
    if matches <= 10000 then
      return query select s.status, coalesce((counted ->> s.status)::bigint, 0)
        from unnest(array['open', 'pending', 'closed']) as s(status);
      return;
    end if;
  end if;
  return query execute
    'select s.status, (select count(*) from (select 1 from public.wa_threads t where ' || filter
    || ' and t.status = s.status limit $6) capped) from unnest(array[''open'', ''pending'', ''closed'']) as s(status)'
  using p_workspace_id, null::text, assignee, p_tag, p_pattern, p_cap + 1;
end
$$;
revoke all on function public.wa_inbox_counts(uuid, text, text, text, integer) from public, anon;
grant execute on function public.wa_inbox_counts(uuid, text, text, text, integer) to authenticated;

drop function if exists public.wa_thread_page(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer);
drop function if exists public.wa_thread_counts(uuid, text, text, text, integer);
