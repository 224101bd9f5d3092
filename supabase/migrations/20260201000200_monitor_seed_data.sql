-- Seed 001 0002_seed, the part the product needs: the single wa_sessions row the UI reads
-- (disconnected until the worker connects) and the runtime flag that asks the worker for a first
-- group discovery. Sample data lives in supabase/seed.sql.
insert into public.wa_sessions (status, detail)
values ('disconnected', '{}'::jsonb)
on conflict do nothing;

insert into public.runtime_flags (key, value)
values ('fetch_groups_requested', jsonb_build_object('at', now()))
on conflict (key) do nothing;
