drop table if exists public.auth_oauth_states;
drop table if exists public.auth_setup_links;
drop table if exists public.auth_refresh_tokens;
drop table if exists public.auth_sessions;
-- The auth.users columns stay on purpose: on Supabase they are GoTrue's own (the migration only
-- added the missing ones), and on the embedded default they hold the users' password hashes.
