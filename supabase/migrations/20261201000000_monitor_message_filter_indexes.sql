-- Group monitor archive (seed 001): GET /api/messages pages newest-first by group and kind. The
-- seed's (chat_id, ts desc) and (kind) indexes leave "one group, one kind" and "one kind" to a
-- filter or a sort over many rows; these two serve each page as one index range scan.
-- Built concurrently so ingest keeps writing while a large archive is indexed; the file therefore
-- runs statement by statement, outside a transaction. A build that fails leaves an invalid index,
-- which `wabase db verify` reports (drop it, then push again).
create index concurrently if not exists messages_chat_kind_ts_idx on public.messages (chat_id, kind, ts desc);
create index concurrently if not exists messages_kind_ts_idx on public.messages (kind, ts desc);
