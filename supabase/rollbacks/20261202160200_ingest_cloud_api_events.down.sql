-- Back to 20261201000400's ingest and record_outbox_sent (template, reaction, pricing and window handling gone).
create or replace function public.ingest_meta_webhook_events(p_events jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_status_order constant text[] := array['sent', 'delivered', 'read', 'failed'];
  v_result jsonb;
  v_pending jsonb;
begin
  with ev as (
    select e.n, e.value ->> 'kind' as kind, e.value ->> 'key' as key, e.value ->> 'phone_number_id' as pnid,
           coalesce(e.value -> 'raw', 'null'::jsonb) as raw, e.value
    from jsonb_array_elements(p_events) with ordinality as e(value, n)
  ),
  routed as (
    select ev.*, c.id as connection_id, c.workspace_id,
           case when ev.kind = 'invalid' then coalesce(ev.value ->> 'reason', 'invalid')
                when ev.pnid is null then 'no_phone_number_id'
                when c.id is null then 'unknown_phone_number_id'
                when c.status <> 'active' then 'connection_inactive' end as reason
    from ev left join public.wa_phone_numbers c on c.phone_number_id = ev.pnid and ev.kind is distinct from 'invalid'
  ),
  orphaned as (
    insert into public.orphan_webhook_events (phone_number_id, event_key, payload, reason)
    select pnid, key, raw, reason from routed where reason is not null order by n
    on conflict do nothing
  ),
  stored as (
    insert into public.meta_webhook_events (workspace_id, event_key, payload, processed_at)
    select workspace_id, key, raw, now() from routed where reason is null order by n
    on conflict (workspace_id, event_key) do nothing
    returning workspace_id, event_key
  ),
  -- Stored for the first time, by this POST's first event with the key.
  fresh as (
    select distinct on (r.workspace_id, r.key) r.*
    from routed r join stored s on s.workspace_id = r.workspace_id and s.event_key = r.key
    order by r.workspace_id, r.key, r.n
  ),
  msgs as (
    select f.n, f.workspace_id, f.connection_id, f.pnid, f.value ->> 'from' as contact, f.value ->> 'message_id' as wamid,
           f.value ->> 'contact_name' as contact_name, f.value ->> 'preview' as preview, f.value ->> 'type' as type,
           f.value ->> 'text' as text, f.raw, coalesce((f.value ->> 'at')::timestamptz, now()) as at
    from fresh f where f.kind = 'message'
  ),
  per_thread as (
    select workspace_id, connection_id, pnid, contact, count(*)::integer as messages from msgs group by 1, 2, 3, 4
  ),
  -- The preview of the newest message (the last of those at the newest time), as one by one would.
  latest as (
    select distinct on (workspace_id, pnid, contact) workspace_id, pnid, contact, preview, at
    from msgs order by workspace_id, pnid, contact, at desc, n desc
  ),
  named as (
    select distinct on (workspace_id, pnid, contact) workspace_id, pnid, contact, contact_name
    from msgs where contact_name is not null order by workspace_id, pnid, contact, n desc
  ),
  threads as (
    insert into public.wa_threads as t
      (workspace_id, connection_id, phone_number_id, contact_wa_id, contact_name, unread_count, last_message_preview, last_message_at)
    select p.workspace_id, p.connection_id, p.pnid, p.contact, nm.contact_name, p.messages, l.preview, l.at
    from per_thread p
      join latest l on l.workspace_id = p.workspace_id and l.pnid = p.pnid and l.contact = p.contact
      left join named nm on nm.workspace_id = p.workspace_id and nm.pnid = p.pnid and nm.contact = p.contact
    on conflict (workspace_id, phone_number_id, contact_wa_id) do update set
      connection_id = excluded.connection_id,
      contact_name = coalesce(excluded.contact_name, t.contact_name),
      unread_count = t.unread_count + excluded.unread_count,
      -- A late, older message never replaces the newer preview.
      last_message_preview = case when t.last_message_at is null or excluded.last_message_at >= t.last_message_at
                                  then excluded.last_message_preview else t.last_message_preview end,
      last_message_at = greatest(t.last_message_at, excluded.last_message_at),
      updated_at = now()
    returning t.id, t.workspace_id, t.phone_number_id, t.contact_wa_id
  ),
  inserted as (
    insert into public.wa_messages
      (workspace_id, thread_id, connection_id, phone_number_id, wa_message_id, direction, type, text, payload, status, status_at, created_at)
    select m.workspace_id, th.id, m.connection_id, m.pnid, m.wamid, 'in', coalesce(m.type, 'unknown'), m.text, m.raw, 'received', m.at, m.at
    from msgs m join threads th on th.workspace_id = m.workspace_id and th.phone_number_id = m.pnid and th.contact_wa_id = m.contact
    order by m.n
    on conflict (workspace_id, wa_message_id) do nothing
    returning workspace_id, wa_message_id
  ),
  -- Statuses that waited for what is now an inbound message never apply to it: done.
  cleared as (
    delete from public.meta_pending_statuses p using inserted i
    where p.workspace_id = i.workspace_id and p.wa_message_id = i.wa_message_id
    returning p.workspace_id, p.wa_message_id
  ),
  cleared_events as (
    update public.meta_webhook_events e set processed_at = now()
    from cleared c cross join unnest(v_status_order) s(status)
    where e.workspace_id = c.workspace_id and e.event_key = 'status:' || c.wa_message_id || ':' || s.status and e.processed_at is null
  ),
  sts as (
    select f.n, f.workspace_id, f.value ->> 'message_id' as wamid, f.value ->> 'status' as status,
           coalesce(array_position(v_status_order, f.value ->> 'status'), -1) as rank,
           coalesce((f.value ->> 'at')::timestamptz, now()) as at, f.value ->> 'error_code' as error_code, f.value ->> 'error_message' as error_message
    from fresh f where f.kind = 'status'
  ),
  -- Forward only: per message, the furthest status of this POST (failed is furthest, and terminal).
  -- queued and any status wabase does not know rank lowest and change nothing.
  best as (
    select distinct on (workspace_id, wamid) * from sts where rank > 0 order by workspace_id, wamid, rank desc, n desc
  ),
  known as (
    select b.*, m.id as message_id
    from best b left join public.wa_messages m on m.workspace_id = b.workspace_id and m.wa_message_id = b.wamid
  ),
  applied as (
    update public.wa_messages m set
      status = k.status,
      status_at = k.at,
      error_code = case when k.status = 'failed' then k.error_code else m.error_code end,
      error_message = case when k.status = 'failed' then k.error_message else m.error_message end
    from known k
    where m.id = k.message_id and m.direction = 'out' and m.status <> 'failed'
      and k.rank > coalesce(array_position(v_status_order, m.status), 0)
  )
  select jsonb_build_object(
           'stored', (select count(*) from fresh),
           'duplicates', (select count(*) from routed where reason is null) - (select count(*) from fresh),
           'orphans', coalesce((select jsonb_agg(jsonb_build_object('phoneNumberId', pnid, 'eventKey', key, 'reason', reason) order by n)
                                from routed where reason is not null), '[]'::jsonb),
           'others', coalesce((select jsonb_agg(key order by n) from fresh where kind not in ('message', 'status')), '[]'::jsonb)),
         -- Statuses of messages not known yet (nor arriving, as inbound, in this POST).
         coalesce((select jsonb_agg(jsonb_build_object('workspace_id', k.workspace_id, 'wamid', k.wamid, 'status', k.status, 'rank', k.rank,
                                                       'at', k.at, 'error_code', k.error_code, 'error_message', k.error_message))
                   from known k
                   where k.message_id is null and not exists (select from msgs m where m.workspace_id = k.workspace_id and m.wamid = k.wamid)),
                  '[]'::jsonb)
    into v_result, v_pending;

  if jsonb_array_length(v_pending) > 0 then
    -- record_outbox_sent records wamids under this lock (shared), so a wamid recorded concurrently is
    -- either seen below (committed before the lock was granted) or finds the pending row (it waits
    -- for this transaction). Statements below run on a snapshot taken after the lock.
    perform pg_advisory_xact_lock(hashtextextended('wabase.message_ids:' || x.w, 0))
      from (select distinct p ->> 'workspace_id' as w from jsonb_array_elements(v_pending) p order by 1) x;
    with p as (
      select (p ->> 'workspace_id')::uuid as workspace_id, p ->> 'wamid' as wamid, p ->> 'status' as status, (p ->> 'rank')::integer as rank,
             (p ->> 'at')::timestamptz as at, p ->> 'error_code' as error_code, p ->> 'error_message' as error_message
      from jsonb_array_elements(v_pending) p
    ),
    found as (
      select p.*, m.id as message_id from p join public.wa_messages m on m.workspace_id = p.workspace_id and m.wa_message_id = p.wamid
    ),
    applied as (
      update public.wa_messages m set
        status = f.status,
        status_at = f.at,
        error_code = case when f.status = 'failed' then f.error_code else m.error_code end,
        error_message = case when f.status = 'failed' then f.error_message else m.error_message end
      from found f
      where m.id = f.message_id and m.direction = 'out' and m.status <> 'failed'
        and f.rank > coalesce(array_position(v_status_order, m.status), 0)
    ),
    waiting as (
      select p.* from p where not exists (select from found f where f.workspace_id = p.workspace_id and f.wamid = p.wamid)
    ),
    kept as (
      insert into public.meta_pending_statuses as q (workspace_id, wa_message_id, status, rank, status_at, error_code, error_message)
      select workspace_id, wamid, status, rank, at, error_code, error_message from waiting
      on conflict (workspace_id, wa_message_id) do update set
        status = excluded.status, rank = excluded.rank, status_at = excluded.status_at,
        error_code = excluded.error_code, error_message = excluded.error_message, received_at = now()
        where excluded.rank > q.rank
    )
    update public.meta_webhook_events e set processed_at = null
    from waiting w cross join unnest(v_status_order) s(status)
    where e.workspace_id = w.workspace_id and e.event_key = 'status:' || w.wamid || ':' || s.status;
  end if;
  return v_result;
end
$$;

-- Marks a batch of outbox sends done (outbox row sent, message sent with its wamid) and applies the
-- statuses that arrived for those wamids before they were recorded (meta_pending_statuses).
create or replace function public.record_outbox_sent(p_ids uuid[], p_wamids text[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_status_order constant text[] := array['sent', 'delivered', 'read', 'failed'];
  v_messages uuid[];
begin
  -- Shared with other senders, exclusive with an ingest keeping statuses pending (see there).
  perform pg_advisory_xact_lock_shared(hashtextextended('wabase.message_ids:' || x.w, 0))
    from (select distinct o.workspace_id::text as w from public.outbox_messages o where o.id = any(p_ids) order by 1) x;
  with v as (select * from unnest(p_ids, p_wamids) as v(id, wamid)),
  o as (
    update public.outbox_messages o set status = 'sent', sent_at = now(), locked_at = null, locked_by = null,
      last_error = null, updated_at = now()
    from v where o.id = v.id returning o.message_id, v.wamid),
  m as (
    update public.wa_messages m set wa_message_id = o.wamid, status = case when m.status = 'queued' then 'sent' else m.status end,
      status_at = now()
    from o where m.id = o.message_id returning m.id)
  select array_agg(m.id) into v_messages from m;

  with p as (
    delete from public.meta_pending_statuses p using public.wa_messages m
    where m.id = any(v_messages) and p.workspace_id = m.workspace_id and p.wa_message_id = m.wa_message_id
    returning p.*
  ),
  applied as (
    update public.wa_messages m set
      status = p.status,
      status_at = p.status_at,
      error_code = case when p.status = 'failed' then p.error_code else m.error_code end,
      error_message = case when p.status = 'failed' then p.error_message else m.error_message end
    from p
    where m.workspace_id = p.workspace_id and m.wa_message_id = p.wa_message_id and m.direction = 'out' and m.status <> 'failed'
      and p.rank > coalesce(array_position(v_status_order, m.status), 0)
  )
  update public.meta_webhook_events e set processed_at = now()
  from p cross join unnest(v_status_order) s(status)
  where e.workspace_id = p.workspace_id and e.event_key = 'status:' || p.wa_message_id || ':' || s.status and e.processed_at is null;
end
$$;

revoke execute on function public.record_outbox_sent(uuid[], text[]) from public, anon, authenticated;
grant execute on function public.record_outbox_sent(uuid[], text[]) to service_role;
