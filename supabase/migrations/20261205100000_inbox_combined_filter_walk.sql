-- The thread list with several filters at once (status + assignee + tag + q): the planner
-- multiplies the filters' selectivities as if they were independent, and they rarely are (a
-- `billing` tag and the word "pembayaran" go together). On 100,000 threads it expected 36 rows
-- for a filter that matched 1,000, and chose a bitmap plan that reads every match (2,000 heap
-- pages, 12–14 ms) where walking the newest activity first finds a page in 250 rows (< 1 ms).
--
-- So a combined filter with a tag or a search first walks the newest `walk_rows` threads of its
-- status/assignee slice in list order (an activity index: wa_threads_workspace_*_activity_idx)
-- and applies the tag and search to them. When that yields a whole page, it is the page: the
-- walk is in list order and the filter is exact, so no later thread can come before these. When it
-- does not (a rare combination), the planner's own plan runs as before; the walk cost ~1–3 ms.
-- Single filters keep their plans: each has its index, and their estimates hold.
create or replace function public.wa_inbox_threads(
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
  customer_window_expires_at timestamptz,
  tags text[],
  sort_at timestamptz
)
language plpgsql
stable
security definer
rows 31
set search_path = ''
as $$
declare
  -- Threads of the slice the walk reads before it gives up: 32 pages' worth.
  walk_rows constant integer := 1024;
  activity constant text := 'coalesce(t.last_message_at, ''-infinity''::timestamptz)';
  after_cursor constant text := case when p_after_at is not null
    then ' and (coalesce(t.last_message_at, ''-infinity''::timestamptz), t.id) < ($6, $7)' else '' end;
  page_order constant text := ' order by ' || activity || ' desc, t.id desc';
  columns constant text :=
    'select t.id, t.workspace_id, t.connection_id, t.phone_number_id, t.contact_wa_id, t.contact_name, t.status, t.assigned_to,
            t.unread_count, t.last_message_preview, t.last_message_at, t.customer_window_expires_at,
            coalesce((select array_agg(g.tag order by g.tag) from public.wa_thread_tags g where g.thread_id = t.id), ''{}''),
            ' || activity || '
       from public.wa_threads t';
  filters integer := (p_status is not null)::int + (p_assignee is not null)::int + coalesce(p_unassigned, false)::int
    + (p_tag is not null)::int + (p_pattern is not null)::int;
  found_ids uuid[];
begin
  if not public.is_workspace_member(p_workspace_id) then
    raise exception using errcode = 'P0002', message = 'workspace_not_found';
  end if;
  if filters >= 2 and (p_tag is not null or p_pattern is not null) then
    execute
      'select array(select t.id from (select t.*, ' || activity || ' as sort_at from public.wa_threads t where '
      || public.wa_inbox_filter_sql(p_status is not null, p_assignee is not null, coalesce(p_unassigned, false), false, false)
      || after_cursor || page_order || ' limit ' || walk_rows || ') t where true'
      -- wa_inbox_filter_sql's tag and search, with the tag as a scalar subquery: an EXISTS would be
      -- pulled up into a semi-join that reads the tag's every thread before the first page is known.
      || case when p_pattern is not null then ' and t.search_text like lower($5)' else '' end
      || case when p_tag is not null then ' and (select true from public.wa_thread_tags tt where tt.workspace_id = $1 and tt.thread_id = t.id and tt.tag = $4)' else '' end
      -- by the walk's own column, so the walk's order serves and it stops at the page's last thread
      || ' order by t.sort_at desc, t.id desc limit $8)'
      into found_ids
      using p_workspace_id, p_status, p_assignee, p_tag, p_pattern, p_after_at, p_after_id, p_limit;
    if cardinality(found_ids) >= p_limit then
      return query execute columns || ' where t.id = any($1)' || page_order using found_ids;
      return;
    end if;
  end if;
  return query execute columns || ' where '
    || public.wa_inbox_filter_sql(p_status is not null, p_assignee is not null, coalesce(p_unassigned, false), p_tag is not null, p_pattern is not null)
    || after_cursor || page_order || ' limit $8'
  using p_workspace_id, p_status, p_assignee, p_tag, p_pattern, p_after_at, p_after_id, p_limit;
end
$$;
revoke all on function public.wa_inbox_threads(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer) from public, anon;
grant execute on function public.wa_inbox_threads(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer) to authenticated;
