-- Connections settings page (issue 13): "last webhook seen" per connection, read with two index
-- lookups instead of a scan. Built concurrently (wa_messages is the largest table: ingest keeps
-- writing while it is indexed), so the file runs statement by statement, outside a transaction. A
-- build that fails leaves an invalid index, which `wabase db verify` reports (drop it, then push again).

-- The newest inbound message of a connection...
create index concurrently if not exists wa_messages_connection_inbound_idx
  on public.wa_messages (connection_id, created_at desc) where direction = 'in';
-- ...and the newest event held as an orphan for its number (unknown at the time, or inactive).
create index concurrently if not exists orphan_webhook_events_phone_number_received_idx
  on public.orphan_webhook_events (phone_number_id, received_at desc);
