-- Issue 17: read receipts and the pricing report.
--
-- wa_queue_read_receipt: called in the member's own transaction when they open a thread with
-- unread messages (PATCH …/threads/:id {read: true}). Queues, through the outbox (the worker's
-- pacing and retries), `{status: 'read', message_id}` for the newest inbound message: once per
-- message (its idempotency key), unless the workspace turned read receipts off. Security definer:
-- members cannot write the outbox themselves; it checks membership first.
create or replace function public.wa_queue_read_receipt(p_thread_id uuid)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_thread record;
  v_message record;
  v_id uuid;
begin
  select t.id, t.workspace_id, t.connection_id, t.contact_wa_id into v_thread from public.wa_threads t where t.id = p_thread_id;
  if v_thread.id is null or not public.is_workspace_member(v_thread.workspace_id) then
    return null;
  end if;
  if not coalesce((select s.read_receipts from public.wa_workspace_settings s where s.workspace_id = v_thread.workspace_id), true) then
    return null;
  end if;
  select m.id, m.wa_message_id into v_message
    from public.wa_messages m
    where m.thread_id = p_thread_id and m.direction = 'in' and m.wa_message_id is not null
    order by m.created_at desc, m.id desc limit 1;
  if v_message.id is null then
    return null;
  end if;
  insert into public.outbox_messages (workspace_id, thread_id, connection_id, message_id, to_phone, payload, idempotency_key)
  values (v_thread.workspace_id, v_thread.id, v_thread.connection_id, null, v_thread.contact_wa_id,
          jsonb_build_object('status', 'read', 'message_id', v_message.wa_message_id),
          v_thread.workspace_id::text || ':read:' || v_message.id::text)
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    perform pg_notify('wabase_outbox', v_thread.workspace_id::text);
  end if;
  return v_id;
end
$$;
revoke all on function public.wa_queue_read_receipt(uuid) from public, anon;
grant execute on function public.wa_queue_read_receipt(uuid) to authenticated, service_role;

-- Messages per pricing category per workspace per day, from the `pricing` objects Meta sent on
-- status webhooks (stored verbatim; no price here). For the ops console (platform admins only).
create or replace function public.ops_pricing_daily(p_from date, p_to date, p_workspace_id uuid default null)
returns table (workspace_id uuid, workspace_slug text, day date, category text, pricing_type text, billable bigint, messages bigint)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform public.assert_ops_caller();
  return query
    select m.workspace_id, w.slug, (m.created_at at time zone 'UTC')::date as day,
           coalesce(m.pricing ->> 'category', 'unknown') as category, m.pricing ->> 'type' as pricing_type,
           count(*) filter (where (m.pricing ->> 'billable') = 'true') as billable, count(*) as messages
    from public.wa_messages m join public.workspaces w on w.id = m.workspace_id
    where m.pricing is not null
      and m.created_at >= p_from::timestamp at time zone 'UTC' and m.created_at < (p_to + 1)::timestamp at time zone 'UTC'
      and (p_workspace_id is null or m.workspace_id = p_workspace_id)
    group by 1, 2, 3, 4, 5
    order by 3 desc, 2, 4, 5;
end
$$;
revoke all on function public.ops_pricing_daily(date, date, uuid) from public, anon;
grant execute on function public.ops_pricing_daily(date, date, uuid) to authenticated, service_role;
