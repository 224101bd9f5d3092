-- Back to 20261202160200's ingest_meta_webhook_events and 20261202170000's
-- ingest_meta_webhook_posts_deferred (no contact locks, no status link, one statement per POST), then the lock helper goes.
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
           e.value ->> 'waba_id' as waba, coalesce(e.value -> 'raw', 'null'::jsonb) as raw, e.value
    from jsonb_array_elements(p_events) with ordinality as e(value, n)
  ),
  routed as (
    select ev.*, c.id as connection_id, c.workspace_id,
           case when ev.kind = 'invalid' then coalesce(ev.value ->> 'reason', 'invalid')
                when ev.pnid is null then 'no_phone_number_id'
                when c.id is null then 'unknown_phone_number_id'
                when c.status <> 'active' then 'connection_inactive' end as reason
    from ev left join public.wa_phone_numbers c on c.phone_number_id = ev.pnid and ev.kind is distinct from 'invalid'
    where ev.kind is distinct from 'template'
    union all
    -- A template event belongs to the WABA: one copy per workspace with an active number on it.
    select ev.*, null::uuid, w.workspace_id,
           case when ev.waba is null then 'no_waba_id' when w.workspace_id is null then 'unknown_waba_id' end
    from ev left join lateral (
      select distinct c.workspace_id from public.wa_phone_numbers c where c.waba_id = ev.waba and c.status = 'active'
    ) w on true
    where ev.kind = 'template'
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
  fresh as (
    select distinct on (r.workspace_id, r.key) r.*
    from routed r join stored s on s.workspace_id = r.workspace_id and s.event_key = r.key
    order by r.workspace_id, r.key, r.n
  ),
  incoming as (
    select f.n, f.workspace_id, f.connection_id, f.pnid, f.value ->> 'wa_id' as wa_id, f.value ->> 'user_id' as user_id,
           f.value ->> 'from' as sender, f.value ->> 'message_id' as wamid,
           f.value ->> 'contact_name' as contact_name, f.value ->> 'preview' as preview, f.value ->> 'type' as type,
           f.value ->> 'text' as text, f.value ->> 'context_id' as context_id,
           f.value ->> 'reaction_to' as reaction_to, f.value ->> 'reaction_emoji' as reaction_emoji,
           f.raw, coalesce((f.value ->> 'at')::timestamptz, now()) as at
    from fresh f where f.kind = 'message'
  ),
  -- The thread's contact key: the thread already known by the BSUID, else the number (the first one
  -- this POST gives for that BSUID), else the BSUID itself.
  keyed as (
    select i.*,
           case when i.user_id is null then coalesce(i.wa_id, i.sender)
                else coalesce(known.contact_wa_id, max(i.wa_id) over (partition by i.workspace_id, i.pnid, i.user_id), i.user_id) end as contact
    from incoming i
      left join public.wa_threads known
        on i.user_id is not null and known.workspace_id = i.workspace_id and known.phone_number_id = i.pnid and known.contact_user_id = i.user_id
  ),
  msgs as (select * from keyed where type is distinct from 'reaction'),
  per_thread as (
    select workspace_id, connection_id, pnid, contact, count(*)::integer as messages, max(at) as last_inbound_at, max(user_id) as user_id
    from msgs group by 1, 2, 3, 4
  ),
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
      (workspace_id, connection_id, phone_number_id, contact_wa_id, contact_user_id, contact_name, unread_count, last_message_preview,
       last_message_at, last_inbound_at, customer_window_expires_at)
    select p.workspace_id, p.connection_id, p.pnid, p.contact, p.user_id, nm.contact_name, p.messages, l.preview, l.at,
           p.last_inbound_at, p.last_inbound_at + interval '24 hours'
    from per_thread p
      join latest l on l.workspace_id = p.workspace_id and l.pnid = p.pnid and l.contact = p.contact
      left join named nm on nm.workspace_id = p.workspace_id and nm.pnid = p.pnid and nm.contact = p.contact
    on conflict (workspace_id, phone_number_id, contact_wa_id) do update set
      connection_id = excluded.connection_id,
      contact_name = coalesce(excluded.contact_name, t.contact_name),
      contact_user_id = coalesce(t.contact_user_id, excluded.contact_user_id),
      unread_count = t.unread_count + excluded.unread_count,
      last_message_preview = case when t.last_message_at is null or excluded.last_message_at >= t.last_message_at
                                  then excluded.last_message_preview else t.last_message_preview end,
      last_message_at = greatest(t.last_message_at, excluded.last_message_at),
      -- Forward only: a late, older message never shortens the window.
      last_inbound_at = greatest(t.last_inbound_at, excluded.last_inbound_at),
      customer_window_expires_at = case when t.last_inbound_at is null or excluded.last_inbound_at > t.last_inbound_at
                                        then excluded.customer_window_expires_at else t.customer_window_expires_at end,
      updated_at = now()
    returning t.id, t.workspace_id, t.phone_number_id, t.contact_wa_id
  ),
  inserted as (
    insert into public.wa_messages
      (workspace_id, thread_id, connection_id, phone_number_id, wa_message_id, direction, type, text, payload, status, status_at, created_at,
       context_wa_message_id)
    select m.workspace_id, th.id, m.connection_id, m.pnid, m.wamid, 'in', coalesce(m.type, 'unknown'), m.text, m.raw, 'received', m.at, m.at,
           m.context_id
    from msgs m join threads th on th.workspace_id = m.workspace_id and th.phone_number_id = m.pnid and th.contact_wa_id = m.contact
    order by m.n
    on conflict (workspace_id, wa_message_id) do nothing
    returning workspace_id, wa_message_id
  ),
  -- Reactions: the newest of this POST per reacted message; it replaces the customer's earlier one.
  reactions as (
    select distinct on (r.workspace_id, r.reaction_to) r.*, target.id as message_id, target.thread_id
    from keyed r join public.wa_messages target on target.workspace_id = r.workspace_id and target.wa_message_id = r.reaction_to
    where r.type = 'reaction'
    order by r.workspace_id, r.reaction_to, r.at desc, r.n desc
  ),
  reacted as (
    insert into public.wa_message_reactions as x (message_id, direction, workspace_id, thread_id, emoji, wa_message_id, reacted_at)
    select message_id, 'in', workspace_id, thread_id, reaction_emoji, wamid, at from reactions where coalesce(reaction_emoji, '') <> ''
    on conflict (message_id, direction) do update set emoji = excluded.emoji, wa_message_id = excluded.wa_message_id, reacted_at = excluded.reacted_at
      where excluded.reacted_at >= x.reacted_at
  ),
  unreacted as (
    delete from public.wa_message_reactions x using reactions r
    where coalesce(r.reaction_emoji, '') = '' and x.message_id = r.message_id and x.direction = 'in' and x.reacted_at <= r.at
  ),
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
           coalesce((f.value ->> 'at')::timestamptz, now()) as at, f.value ->> 'error_code' as error_code, f.value ->> 'error_message' as error_message,
           nullif(f.value -> 'pricing', 'null'::jsonb) as pricing, nullif(f.value -> 'conversation', 'null'::jsonb) as conversation
    from fresh f where f.kind = 'status'
  ),
  best as (
    select distinct on (workspace_id, wamid) * from sts where rank > 0 order by workspace_id, wamid, rank desc, n desc
  ),
  -- The newest pricing of this POST per message, whatever its status's rank.
  priced as (
    select distinct on (workspace_id, wamid) workspace_id, wamid, pricing, conversation
    from sts where pricing is not null or conversation is not null order by workspace_id, wamid, at desc, n desc
  ),
  known as (
    select b.*, m.id as message_id, m.thread_id, p.pricing as new_pricing, p.conversation as new_conversation
    from best b
      left join public.wa_messages m on m.workspace_id = b.workspace_id and m.wa_message_id = b.wamid
      left join priced p on p.workspace_id = b.workspace_id and p.wamid = b.wamid
  ),
  applied as (
    update public.wa_messages m set
      status = case when m.status <> 'failed' and k.rank > coalesce(array_position(v_status_order, m.status), 0) then k.status else m.status end,
      status_at = case when m.status <> 'failed' and k.rank > coalesce(array_position(v_status_order, m.status), 0) then k.at else m.status_at end,
      error_code = case when k.status = 'failed' and m.status <> 'failed' then k.error_code else m.error_code end,
      error_message = case when k.status = 'failed' and m.status <> 'failed' then k.error_message else m.error_message end,
      pricing = coalesce(k.new_pricing, m.pricing),
      conversation = coalesce(k.new_conversation, m.conversation)
    from known k
    where m.id = k.message_id and m.direction = 'out'
      and ((m.status <> 'failed' and k.rank > coalesce(array_position(v_status_order, m.status), 0)) or k.new_pricing is not null or k.new_conversation is not null)
    returning m.id
  ),
  -- Meta refused a free-form message outside the window: the thread's window is closed now.
  closed_windows as (
    update public.wa_threads t set customer_window_expires_at = least(coalesce(t.customer_window_expires_at, k.at), k.at), updated_at = now()
    from (select distinct on (thread_id) thread_id, at from known where message_id is not null and status = 'failed' and error_code = '131047'
          order by thread_id, at) k
    where t.id = k.thread_id
  ),
  templates as (
    select distinct on (f.workspace_id, f.value ->> 'waba_id', f.value ->> 'name', f.value ->> 'language')
           f.workspace_id, f.value ->> 'waba_id' as waba_id, f.value ->> 'field' as field, f.value ->> 'event' as event,
           f.value ->> 'template_id' as template_id, f.value ->> 'name' as name, f.value ->> 'language' as language,
           f.value ->> 'category' as category, f.value ->> 'quality' as quality, f.value ->> 'reason' as reason,
           coalesce((f.value ->> 'at')::timestamptz, now()) as at
    from fresh f
    where f.kind = 'template' and f.value ->> 'name' is not null and f.value ->> 'language' is not null
    order by f.workspace_id, f.value ->> 'waba_id', f.value ->> 'name', f.value ->> 'language', coalesce((f.value ->> 'at')::timestamptz, now()) desc, f.n desc
  ),
  templated as (
    insert into public.wa_message_templates as t (workspace_id, waba_id, meta_template_id, name, language, category, status, quality, reason, event_at)
    select workspace_id, waba_id, template_id, name, language, category,
           case when field = 'message_template_status_update' then coalesce(event, 'PENDING') else 'UNKNOWN' end,
           quality, reason, at
    from templates
    on conflict (workspace_id, waba_id, name, language) do update set
      meta_template_id = coalesce(excluded.meta_template_id, t.meta_template_id),
      -- Quality and category events say nothing about the status (inserted as UNKNOWN until a sync).
      status = case when excluded.status = 'UNKNOWN' then t.status else excluded.status end,
      category = coalesce(excluded.category, t.category),
      quality = coalesce(excluded.quality, t.quality),
      reason = coalesce(excluded.reason, t.reason),
      event_at = excluded.event_at,
      updated_at = now()
      where t.event_at is null or excluded.event_at >= t.event_at
  )
  select jsonb_build_object(
           'stored', (select count(*) from fresh),
           'duplicates', (select count(*) from routed where reason is null) - (select count(*) from fresh),
           'orphans', coalesce((select jsonb_agg(jsonb_build_object('phoneNumberId', pnid, 'eventKey', key, 'reason', reason) order by n)
                                from routed where reason is not null), '[]'::jsonb),
           'others', coalesce((select jsonb_agg(key order by n) from fresh where kind not in ('message', 'status', 'template')), '[]'::jsonb)),
         coalesce((select jsonb_agg(jsonb_build_object('workspace_id', k.workspace_id, 'wamid', k.wamid, 'status', k.status, 'rank', k.rank,
                                                       'at', k.at, 'error_code', k.error_code, 'error_message', k.error_message,
                                                       'pricing', k.new_pricing, 'conversation', k.new_conversation))
                   from known k
                   where k.message_id is null and not exists (select from msgs m where m.workspace_id = k.workspace_id and m.wamid = k.wamid)),
                  '[]'::jsonb)
    into v_result, v_pending;

  if jsonb_array_length(v_pending) > 0 then
    perform pg_advisory_xact_lock(hashtextextended('wabase.message_ids:' || x.w, 0))
      from (select distinct p ->> 'workspace_id' as w from jsonb_array_elements(v_pending) p order by 1) x;
    with p as (
      select (p ->> 'workspace_id')::uuid as workspace_id, p ->> 'wamid' as wamid, p ->> 'status' as status, (p ->> 'rank')::integer as rank,
             (p ->> 'at')::timestamptz as at, p ->> 'error_code' as error_code, p ->> 'error_message' as error_message,
             nullif(p -> 'pricing', 'null'::jsonb) as pricing, nullif(p -> 'conversation', 'null'::jsonb) as conversation
      from jsonb_array_elements(v_pending) p
    ),
    found as (
      select p.*, m.id as message_id from p join public.wa_messages m on m.workspace_id = p.workspace_id and m.wa_message_id = p.wamid
    ),
    applied as (
      update public.wa_messages m set
        status = case when m.status <> 'failed' and f.rank > coalesce(array_position(v_status_order, m.status), 0) then f.status else m.status end,
        status_at = case when m.status <> 'failed' and f.rank > coalesce(array_position(v_status_order, m.status), 0) then f.at else m.status_at end,
        error_code = case when f.status = 'failed' and m.status <> 'failed' then f.error_code else m.error_code end,
        error_message = case when f.status = 'failed' and m.status <> 'failed' then f.error_message else m.error_message end,
        pricing = coalesce(f.pricing, m.pricing),
        conversation = coalesce(f.conversation, m.conversation)
      from found f
      where m.id = f.message_id and m.direction = 'out'
    ),
    waiting as (
      select p.* from p where not exists (select from found f where f.workspace_id = p.workspace_id and f.wamid = p.wamid)
    ),
    kept as (
      insert into public.meta_pending_statuses as q (workspace_id, wa_message_id, status, rank, status_at, error_code, error_message, pricing, conversation)
      select workspace_id, wamid, status, rank, at, error_code, error_message, pricing, conversation from waiting
      on conflict (workspace_id, wa_message_id) do update set
        status = case when excluded.rank > q.rank then excluded.status else q.status end,
        rank = greatest(excluded.rank, q.rank),
        status_at = case when excluded.rank > q.rank then excluded.status_at else q.status_at end,
        error_code = case when excluded.rank > q.rank then excluded.error_code else q.error_code end,
        error_message = case when excluded.rank > q.rank then excluded.error_message else q.error_message end,
        pricing = coalesce(excluded.pricing, q.pricing),
        conversation = coalesce(excluded.conversation, q.conversation),
        received_at = now()
        where excluded.rank > q.rank or excluded.pricing is not null or excluded.conversation is not null
    )
    update public.meta_webhook_events e set processed_at = null
    from waiting w cross join unnest(v_status_order) s(status)
    where e.workspace_id = w.workspace_id and e.event_key = 'status:' || w.wamid || ':' || s.status;
  end if;
  return v_result;
end
$$;

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

drop function if exists public.lock_bsuid_contacts(jsonb);
