-- Reverse dependency order (seed 001 §11). Non-production only: this deletes the archive.
drop view if exists public.messages_latest_per_group;
drop table if exists public.runtime_flags;
drop table if exists public.google_tokens;
drop table if exists public.wa_sessions;
drop table if exists public.audit_log;
drop table if exists public.block_keywords;
drop table if exists public.block_senders;
drop table if exists public.block_groups;
drop table if exists public.message_tags;
drop table if exists public.messages;
drop table if exists public.media;
drop table if exists public.groups;
