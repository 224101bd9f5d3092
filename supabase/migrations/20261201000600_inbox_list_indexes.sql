-- Team inbox lists (issue 13): newest activity first under each filter. The list sorts on
-- coalesce(last_message_at, '-infinity') so threads without messages page last with a plain keyset;
-- the older (workspace_id, last_message_at desc nulls last, id desc) index cannot serve that order,
-- so the list sorted every thread of the workspace. One index per filter that narrows by equality
-- (none, status, assignee), each ending in the sort key, so a page is one index range scan; the
-- status tabs' counts read the status index only. Built concurrently, outside a transaction.
create index concurrently if not exists wa_threads_workspace_activity_idx
  on public.wa_threads (workspace_id, (coalesce(last_message_at, '-infinity'::timestamptz)) desc, id desc);
create index concurrently if not exists wa_threads_workspace_status_activity_idx
  on public.wa_threads (workspace_id, status, (coalesce(last_message_at, '-infinity'::timestamptz)) desc, id desc);
create index concurrently if not exists wa_threads_workspace_assignee_activity_idx
  on public.wa_threads (workspace_id, assigned_to, (coalesce(last_message_at, '-infinity'::timestamptz)) desc, id desc);
create index concurrently if not exists wa_thread_tags_workspace_tag_thread_idx
  on public.wa_thread_tags (workspace_id, tag, thread_id);
-- A thread's messages page on (created_at, id): Meta's whole-second timestamps make ties common.
create index concurrently if not exists wa_messages_thread_created_id_idx
  on public.wa_messages (thread_id, created_at desc, id desc);
