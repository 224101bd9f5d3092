drop table if exists public.wa_saved_views cascade;
