drop function if exists public.ingest_meta_webhook_posts(jsonb);
drop function if exists public.ingest_meta_webhook_events(jsonb);
-- The revokes on claim_outbox and take_rate_limit_slot stay on purpose: granting them back to the
-- anon key would reopen the hole the migration closed.
