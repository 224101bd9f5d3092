-- Rollbacks run in a transaction: plain drops.
drop index if exists public.wa_messages_pricing_day_idx;
drop index if exists public.wa_phone_numbers_waba_id_idx;
drop index if exists public.wa_threads_contact_user_id_key;
