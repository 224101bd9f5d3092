drop index if exists public.workspaces_slug_trgm_idx;
drop index if exists public.workspaces_created_at_id_idx;
