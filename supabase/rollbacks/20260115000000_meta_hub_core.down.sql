drop table if exists public.wa_messages;
drop table if exists public.wa_thread_tags;
drop table if exists public.wa_threads;
drop table if exists public.wa_phone_numbers;
