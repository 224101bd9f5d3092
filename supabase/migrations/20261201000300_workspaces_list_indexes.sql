-- Ops console Workspaces list (seed 000): newest first, searchable by name or slug. The list pages
-- on (created_at desc, id); a search on slug had no index (only name was trigram-indexed), so
-- "name or slug" scanned every workspace. Built concurrently, outside a transaction.
create index concurrently if not exists workspaces_created_at_id_idx on public.workspaces (created_at desc, id);
create index concurrently if not exists workspaces_slug_trgm_idx on public.workspaces using gin (slug gin_trgm_ops);
