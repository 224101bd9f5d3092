-- The assignee tabs go back to walking the status index (rollbacks run in a transaction: a plain drop).
drop index if exists public.wa_threads_workspace_assignee_status_idx;
