-- The assignee tabs go back to walking the status index.
drop index concurrently if exists public.wa_threads_workspace_assignee_status_idx;
