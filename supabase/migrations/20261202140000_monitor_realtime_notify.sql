-- Group monitor live updates (issue 14): changes the dashboard shows notify the channel
-- wabase_monitor_events, in the transaction of the change (delivered after COMMIT). Statement-level
-- triggers with transition tables send at most one notification per statement, never one per row:
-- an ingest batch of 100 messages is one `message.archived`. PostgreSQL also folds identical
-- payloads of one transaction into one (the payload's `at` is the transaction's now()), so an
-- ingest transaction sends one event of each kind it touched. Payloads carry kinds only, never
-- content (no QR, no text): the API server decides who receives what and the browser re-reads.

-- Any row changed: one event of the trigger's kind (TG_ARGV[0]; TG_ARGV[1] names a blocklist).
create or replace function public.notify_monitor_rows()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from changed) then
    perform pg_notify('wabase_monitor_events', jsonb_strip_nulls(jsonb_build_object(
      'kind', tg_argv[0], 'list', tg_argv[1], 'at', now()))::text);
  end if;
  return null;
end;
$$;

-- Groups: a rename, the Monitor switch or a newer message is news; an update that changes none
-- of them (a replayed ingest) stays quiet.
create or replace function public.notify_monitor_groups_updated()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from changed c join previous p on p.id = c.id
              where (c.name, c.monitor, c.last_seen_ts) is distinct from (p.name, p.monitor, p.last_seen_ts)) then
    perform pg_notify('wabase_monitor_events', json_build_object('kind', 'groups.updated', 'at', now())::text);
  end if;
  return null;
end;
$$;

-- Messages: media arriving on a replay, or a caption linked to its media, changes what the archive shows.
create or replace function public.notify_monitor_messages_updated()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from changed c join previous p on p.id = c.id
              where (c.media_id, c.parent_id, c.text) is distinct from (p.media_id, p.parent_id, p.text)) then
    perform pg_notify('wabase_monitor_events', json_build_object('kind', 'message.archived', 'at', now())::text);
  end if;
  return null;
end;
$$;

-- The session row: status, number, name and since-when are `session.updated`; a new or cleared QR
-- is `qr.updated` (the QR itself stays in the row: GET /api/monitor/qr, for those who may link).
-- The worker saves creds and signal keys far more often; those writes stay quiet.
create or replace function public.notify_monitor_session()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  session_changed boolean;
  qr_changed boolean;
begin
  if tg_op = 'INSERT' then
    select count(*) > 0, coalesce(bool_or(c.detail ? 'qr'), false) into session_changed, qr_changed from changed c;
  else
    select coalesce(bool_or((c.status, c.wa_number, c.wa_name, c.last_status_at) is distinct from (p.status, p.wa_number, p.wa_name, p.last_status_at)), false),
           coalesce(bool_or((c.detail ->> 'qr', c.detail ->> 'expiresAt') is distinct from (p.detail ->> 'qr', p.detail ->> 'expiresAt')), false)
      into session_changed, qr_changed
      from changed c join previous p on p.id = c.id;
  end if;
  if session_changed then
    perform pg_notify('wabase_monitor_events', json_build_object('kind', 'session.updated', 'at', now())::text);
  end if;
  if qr_changed then
    perform pg_notify('wabase_monitor_events', json_build_object('kind', 'qr.updated', 'at', now())::text);
  end if;
  return null;
end;
$$;

-- Transition tables allow one event per trigger, hence one trigger per event.
drop trigger if exists wa_sessions_monitor_notify_insert on public.wa_sessions;
create trigger wa_sessions_monitor_notify_insert
  after insert on public.wa_sessions referencing new table as changed
  for each statement execute function public.notify_monitor_session();

drop trigger if exists wa_sessions_monitor_notify_update on public.wa_sessions;
create trigger wa_sessions_monitor_notify_update
  after update on public.wa_sessions referencing old table as previous new table as changed
  for each statement execute function public.notify_monitor_session();

-- Pending worker requests show on the session page.
drop trigger if exists runtime_flags_monitor_notify_insert on public.runtime_flags;
create trigger runtime_flags_monitor_notify_insert
  after insert on public.runtime_flags referencing new table as changed
  for each statement execute function public.notify_monitor_rows('session.updated');

drop trigger if exists runtime_flags_monitor_notify_update on public.runtime_flags;
create trigger runtime_flags_monitor_notify_update
  after update on public.runtime_flags referencing new table as changed
  for each statement execute function public.notify_monitor_rows('session.updated');

drop trigger if exists runtime_flags_monitor_notify_delete on public.runtime_flags;
create trigger runtime_flags_monitor_notify_delete
  after delete on public.runtime_flags referencing old table as changed
  for each statement execute function public.notify_monitor_rows('session.updated');

drop trigger if exists groups_monitor_notify_insert on public.groups;
create trigger groups_monitor_notify_insert
  after insert on public.groups referencing new table as changed
  for each statement execute function public.notify_monitor_rows('groups.discovered');

drop trigger if exists groups_monitor_notify_update on public.groups;
create trigger groups_monitor_notify_update
  after update on public.groups referencing old table as previous new table as changed
  for each statement execute function public.notify_monitor_groups_updated();

drop trigger if exists messages_monitor_notify_insert on public.messages;
create trigger messages_monitor_notify_insert
  after insert on public.messages referencing new table as changed
  for each statement execute function public.notify_monitor_rows('message.archived');

drop trigger if exists messages_monitor_notify_update on public.messages;
create trigger messages_monitor_notify_update
  after update on public.messages referencing old table as previous new table as changed
  for each statement execute function public.notify_monitor_messages_updated();

drop trigger if exists audit_log_monitor_notify_insert on public.audit_log;
create trigger audit_log_monitor_notify_insert
  after insert on public.audit_log referencing new table as changed
  for each statement execute function public.notify_monitor_rows('activity.created');

drop trigger if exists block_groups_monitor_notify_insert on public.block_groups;
create trigger block_groups_monitor_notify_insert
  after insert on public.block_groups referencing new table as changed
  for each statement execute function public.notify_monitor_rows('blocklist.updated', 'groups');

drop trigger if exists block_groups_monitor_notify_update on public.block_groups;
create trigger block_groups_monitor_notify_update
  after update on public.block_groups referencing new table as changed
  for each statement execute function public.notify_monitor_rows('blocklist.updated', 'groups');

drop trigger if exists block_groups_monitor_notify_delete on public.block_groups;
create trigger block_groups_monitor_notify_delete
  after delete on public.block_groups referencing old table as changed
  for each statement execute function public.notify_monitor_rows('blocklist.updated', 'groups');

drop trigger if exists block_senders_monitor_notify_insert on public.block_senders;
create trigger block_senders_monitor_notify_insert
  after insert on public.block_senders referencing new table as changed
  for each statement execute function public.notify_monitor_rows('blocklist.updated', 'senders');

drop trigger if exists block_senders_monitor_notify_update on public.block_senders;
create trigger block_senders_monitor_notify_update
  after update on public.block_senders referencing new table as changed
  for each statement execute function public.notify_monitor_rows('blocklist.updated', 'senders');

drop trigger if exists block_senders_monitor_notify_delete on public.block_senders;
create trigger block_senders_monitor_notify_delete
  after delete on public.block_senders referencing old table as changed
  for each statement execute function public.notify_monitor_rows('blocklist.updated', 'senders');

drop trigger if exists block_keywords_monitor_notify_insert on public.block_keywords;
create trigger block_keywords_monitor_notify_insert
  after insert on public.block_keywords referencing new table as changed
  for each statement execute function public.notify_monitor_rows('blocklist.updated', 'keywords');

drop trigger if exists block_keywords_monitor_notify_update on public.block_keywords;
create trigger block_keywords_monitor_notify_update
  after update on public.block_keywords referencing new table as changed
  for each statement execute function public.notify_monitor_rows('blocklist.updated', 'keywords');

drop trigger if exists block_keywords_monitor_notify_delete on public.block_keywords;
create trigger block_keywords_monitor_notify_delete
  after delete on public.block_keywords referencing old table as changed
  for each statement execute function public.notify_monitor_rows('blocklist.updated', 'keywords');
