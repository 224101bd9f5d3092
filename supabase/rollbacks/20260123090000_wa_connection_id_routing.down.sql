drop table if exists public.orphan_webhook_events;
drop index if exists public.wa_messages_connection_id_idx;
drop index if exists public.wa_threads_connection_id_idx;
alter table public.wa_messages drop column if exists connection_id;
alter table public.wa_threads drop column if exists connection_id;
