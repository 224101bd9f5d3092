-- As seed 000's rollback for m1.
drop function if exists public.claim_outbox(integer, text);
drop function if exists public.take_rate_limit_slot(text, integer, integer);
drop table if exists public.rate_limit_counters;
drop table if exists public.outbox_messages;
drop table if exists public.meta_webhook_events;
