-- Lookups issue 17's ingest makes, built concurrently (this file runs outside a transaction):
-- a username user's thread by BSUID, a quoted message by wamid is covered by (workspace_id,
-- wa_message_id) already; connections by WABA (template webhooks are routed by entry.id);
-- pricing counts per workspace and day.
create unique index concurrently if not exists wa_threads_contact_user_id_key
  on public.wa_threads (workspace_id, phone_number_id, contact_user_id) where contact_user_id is not null;
create index concurrently if not exists wa_phone_numbers_waba_id_idx on public.wa_phone_numbers (waba_id) where waba_id is not null;
create index concurrently if not exists wa_messages_pricing_day_idx
  on public.wa_messages (workspace_id, created_at) where pricing is not null;
