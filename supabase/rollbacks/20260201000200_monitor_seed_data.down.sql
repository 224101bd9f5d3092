delete from public.runtime_flags where key = 'fetch_groups_requested';
delete from public.wa_sessions where status = 'disconnected' and wa_number is null;
