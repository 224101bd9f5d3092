-- Inbox media goes away with its jobs; the archived objects and public.media rows stay (the group monitor shares them).
drop trigger if exists wa_messages_media_jobs on public.wa_messages;
drop function if exists public.wa_message_media_from_messages();
drop function if exists public.claim_wa_media_jobs(integer, text, integer);
drop table if exists public.wa_message_media;
