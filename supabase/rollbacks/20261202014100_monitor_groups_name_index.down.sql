drop index if exists public.groups_name_id_idx;
