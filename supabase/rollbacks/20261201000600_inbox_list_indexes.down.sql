drop index if exists public.wa_messages_thread_created_id_idx;
drop index if exists public.wa_thread_tags_workspace_tag_thread_idx;
drop index if exists public.wa_threads_workspace_assignee_activity_idx;
drop index if exists public.wa_threads_workspace_status_activity_idx;
drop index if exists public.wa_threads_workspace_activity_idx;
