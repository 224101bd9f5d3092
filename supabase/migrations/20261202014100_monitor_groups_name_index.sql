-- Groups page (issue 14): pages of 25 by name over 5,000 groups. Without an index on the sort key
-- every page sorted all groups; with (name, id) a page is an index range scan. Built concurrently,
-- outside a transaction.
create index concurrently if not exists groups_name_id_idx on public.groups (name, id);
