-- Issue 17, the customer service window: a customer's message opens a 24-hour window in which the
-- business may send free-form messages (text, media, reactions, interactive); outside it only an
-- approved template. Each thread keeps when the customer last wrote and when the window closes.
-- The business's own messages never extend it; ingest moves it forward only (a late, older
-- message does not shorten it); a 131047 from Meta closes it (src/hub/customer-window.ts checks it).
alter table public.wa_threads
  add column if not exists last_inbound_at timestamptz,
  add column if not exists customer_window_expires_at timestamptz;

-- Threads that already have inbound messages get their window from the newest one. The fill is
-- no news: without this, the realtime trigger would send one event per thread.
alter table public.wa_threads disable trigger wa_threads_notify_update;
update public.wa_threads t
  set last_inbound_at = m.at, customer_window_expires_at = m.at + interval '24 hours'
  from (select thread_id, max(created_at) as at from public.wa_messages where direction = 'in' group by thread_id) m
  where m.thread_id = t.id and t.last_inbound_at is null;
alter table public.wa_threads enable trigger wa_threads_notify_update;

-- The inbox list carries the window, so the list can show "window closes in 3 h": a new output
-- column needs a new function (20261202030000's wa_inbox_page cannot change its return type, and
-- re-running that file must keep working); wa_inbox_page stays for API servers of the previous
-- version during a rolling deploy. The body is 20261202030000's.
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
