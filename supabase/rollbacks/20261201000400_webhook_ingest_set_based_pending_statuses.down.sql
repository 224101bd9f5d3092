-- Restores the ingest function of 20261201000100 (one statement per event, statuses of unknown
-- messages done at once) and drops the pending-status store and record_outbox_sent.
drop function if exists public.record_outbox_sent(uuid[], text[]);

create or replace function public.ingest_meta_webhook_events(p_events jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_event jsonb;
  v_pnid text;
  -- The connection of v_pnid, looked up again only when the number changes (a POST's events
  -- usually share one).
  v_looked_up boolean := false;
  v_last_pnid text;
  v_connection_id uuid;
  v_workspace_id uuid;
  v_connection_status text;
  v_reason text;
  v_event_id uuid;
  v_thread_id uuid;
  v_at timestamptz;
  v_status_order constant text[] := array['sent', 'delivered', 'read', 'failed'];
  v_rank integer;
  v_stored integer := 0;
  v_duplicates integer := 0;
  v_orphans jsonb := '[]'::jsonb;
  v_others jsonb := '[]'::jsonb;
begin
  for v_event in select value from jsonb_array_elements(p_events) loop
    v_pnid := v_event ->> 'phone_number_id';
    if not v_looked_up or v_pnid is distinct from v_last_pnid then
      -- No row (or no number): all three become null.
      select c.id, c.workspace_id, c.status into v_connection_id, v_workspace_id, v_connection_status
        from public.wa_phone_numbers c where c.phone_number_id = v_pnid;
      v_last_pnid := v_pnid;
      v_looked_up := true;
    end if;
    if v_connection_id is null or v_connection_status <> 'active' then
      v_reason := case when v_pnid is null then 'no_phone_number_id'
                       when v_connection_id is null then 'unknown_phone_number_id'
                       else 'connection_inactive' end;
      insert into public.orphan_webhook_events (phone_number_id, event_key, payload, reason)
      values (v_pnid, v_event ->> 'key', coalesce(v_event -> 'raw', 'null'::jsonb), v_reason)
      on conflict do nothing;
      v_orphans := v_orphans || jsonb_build_array(jsonb_build_object('phoneNumberId', v_pnid, 'eventKey', v_event ->> 'key', 'reason', v_reason));
      continue;
    end if;

    v_event_id := null;
    insert into public.meta_webhook_events (workspace_id, event_key, payload, processed_at)
    values (v_workspace_id, v_event ->> 'key', coalesce(v_event -> 'raw', 'null'::jsonb), now())
    on conflict (workspace_id, event_key) do nothing
    returning id into v_event_id;
    if v_event_id is null then
      v_duplicates := v_duplicates + 1;
      continue;
    end if;
    v_stored := v_stored + 1;
    v_at := coalesce((v_event ->> 'at')::timestamptz, now());

    if v_event ->> 'kind' = 'message' then
      insert into public.wa_threads as t
        (workspace_id, connection_id, phone_number_id, contact_wa_id, contact_name, unread_count, last_message_preview, last_message_at)
      values (v_workspace_id, v_connection_id, v_pnid, v_event ->> 'from',
              v_event ->> 'contact_name', 1, v_event ->> 'preview', v_at)
      on conflict (workspace_id, phone_number_id, contact_wa_id) do update set
        connection_id = excluded.connection_id,
        contact_name = coalesce(excluded.contact_name, t.contact_name),
        unread_count = t.unread_count + 1,
        -- A late, older message never replaces the newer preview.
        last_message_preview = case when t.last_message_at is null or excluded.last_message_at >= t.last_message_at
                                    then excluded.last_message_preview else t.last_message_preview end,
        last_message_at = greatest(t.last_message_at, excluded.last_message_at),
        updated_at = now()
      returning t.id into v_thread_id;
      insert into public.wa_messages
        (workspace_id, thread_id, connection_id, phone_number_id, wa_message_id, direction, type, text, payload, status, status_at, created_at)
      values (v_workspace_id, v_thread_id, v_connection_id, v_pnid, v_event ->> 'message_id', 'in',
              coalesce(v_event ->> 'type', 'unknown'), v_event ->> 'text', coalesce(v_event -> 'raw', 'null'::jsonb), 'received', v_at, v_at)
      on conflict (workspace_id, wa_message_id) do nothing;
    elsif v_event ->> 'kind' = 'status' then
      -- Forward only, by position in v_status_order (queued and any other status rank below sent);
      -- failed is terminal; an unknown incoming status ranks lowest and changes nothing.
      v_rank := coalesce(array_position(v_status_order, v_event ->> 'status'), -1);
      update public.wa_messages m set
        status = v_event ->> 'status',
        status_at = v_at,
        error_code = case when v_event ->> 'status' = 'failed' then v_event ->> 'error_code' else m.error_code end,
        error_message = case when v_event ->> 'status' = 'failed' then v_event ->> 'error_message' else m.error_message end
      where m.workspace_id = v_workspace_id
        and m.wa_message_id = v_event ->> 'message_id'
        and m.status <> 'failed'
        and v_rank > coalesce(array_position(v_status_order, m.status), 0);
    else
      v_others := v_others || jsonb_build_array(v_event ->> 'key');
    end if;
  end loop;
  return jsonb_build_object('stored', v_stored, 'duplicates', v_duplicates, 'orphans', v_orphans, 'others', v_others);
end
$$;

drop table if exists public.meta_pending_statuses;
