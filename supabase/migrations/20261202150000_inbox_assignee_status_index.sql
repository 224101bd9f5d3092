-- The status tabs under "Mine", "Unassigned" or a member: each status is counted up to the cap
-- from (workspace, assignee, status) alone, an index-only range, instead of walking the status
-- index and reading each thread to test its assignee (issue 13's bench: 37 ms when a fifth of
-- 100,000 threads are the caller's). Built concurrently, outside a transaction.
create index concurrently if not exists wa_threads_workspace_assignee_status_idx on public.wa_threads (workspace_id, assigned_to, status);
