-- The thread list goes back to one planner-chosen statement per page (20261202160000's body).
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
begin
  if not public.is_workspace_member(p_workspace_id) then
    raise exception using errcode = 'P0002', message = 'workspace_not_found';
  end if;
  return query execute
    'select t.id, t.workspace_id, t.connection_id, t.phone_number_id, t.contact_wa_id, t.contact_name, t.status, t.assigned_to,
            t.unread_count, t.last_message_preview, t.last_message_at, t.customer_window_expires_at,
            coalesce((select array_agg(g.tag order by g.tag) from public.wa_thread_tags g where g.thread_id = t.id), ''{}''),
            coalesce(t.last_message_at, ''-infinity''::timestamptz)
       from public.wa_threads t
      where ' || public.wa_inbox_filter_sql(p_status is not null, p_assignee is not null, coalesce(p_unassigned, false), p_tag is not null, p_pattern is not null)
    || case when p_after_at is not null then ' and (coalesce(t.last_message_at, ''-infinity''::timestamptz), t.id) < ($6, $7)' else '' end
    || ' order by coalesce(t.last_message_at, ''-infinity''::timestamptz) desc, t.id desc limit $8'
  using p_workspace_id, p_status, p_assignee, p_tag, p_pattern, p_after_at, p_after_id, p_limit;
end
$$;
revoke all on function public.wa_inbox_threads(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer) from public, anon;
grant execute on function public.wa_inbox_threads(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer) to authenticated;
