drop function if exists public.workspace_member_directory(uuid);
drop function if exists public.wa_thread_counts(uuid, text, text, text);
drop trigger if exists wa_messages_notify_status on public.wa_messages;
drop trigger if exists wa_messages_notify_insert on public.wa_messages;
drop trigger if exists wa_threads_notify_update on public.wa_threads;
drop trigger if exists wa_threads_notify_insert on public.wa_threads;
drop function if exists public.notify_wa_messages_status();
drop function if exists public.notify_wa_messages_created();
drop function if exists public.notify_wa_threads_changed();
