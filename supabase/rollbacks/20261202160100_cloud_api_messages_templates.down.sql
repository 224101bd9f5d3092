drop table if exists public.wa_message_templates;
drop table if exists public.wa_workspace_settings;
drop table if exists public.wa_message_reactions;
drop function if exists public.notify_wa_message_reactions_changed();
alter table public.meta_pending_statuses drop column if exists pricing, drop column if exists conversation;
alter table public.wa_messages drop column if exists context_wa_message_id, drop column if exists pricing, drop column if exists conversation;
alter table public.wa_threads drop column if exists contact_user_id;
