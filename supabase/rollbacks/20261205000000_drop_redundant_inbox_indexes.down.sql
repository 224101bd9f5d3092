-- Rollbacks run in one transaction, so the indexes are built without `concurrently` (writes to the
-- two tables wait while they build).
create index if not exists wa_threads_assigned_idx on public.wa_threads (workspace_id, assigned_to);
create index if not exists wa_threads_workspace_last_message_idx
  on public.wa_threads (workspace_id, last_message_at desc nulls last, id desc);
create index if not exists wa_messages_thread_created_idx on public.wa_messages (thread_id, created_at desc);
