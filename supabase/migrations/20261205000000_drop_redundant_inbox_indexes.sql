-- Three indexes that every inbox query can do without, and that every webhook message paid for:
-- a message inserts into wa_messages and moves its thread's last_message_at (not a HOT update), so
-- each index here was one more entry written per message.
--   wa_threads_assigned_idx (workspace_id, assigned_to): a prefix of
--     wa_threads_workspace_assignee_status_idx and wa_threads_workspace_assignee_activity_idx.
--   wa_threads_workspace_last_message_idx (workspace_id, last_message_at desc nulls last, id desc):
--     replaced by wa_threads_workspace_activity_idx (migration 20261201000600), whose coalesce
--     order is the one the thread list sorts by; nothing sorts by the old order.
--   wa_messages_thread_created_idx (thread_id, created_at desc): a prefix of
--     wa_messages_thread_created_id_idx.
-- Dropped concurrently, so ingest and the inbox keep running while it happens; the file runs
-- statement by statement, outside a transaction.
drop index concurrently if exists public.wa_threads_assigned_idx;
drop index concurrently if exists public.wa_threads_workspace_last_message_idx;
drop index concurrently if exists public.wa_messages_thread_created_idx;
