drop table if exists public.wa_signup_attempts;
