-- The trigram index on wa_threads.search_text (20261202030100), built concurrently (this file runs
-- statement by statement, outside a transaction), then the inbox's search switches to it and the
-- old expression index goes.
create index concurrently if not exists wa_threads_search_text_trgm_idx on public.wa_threads using gin (search_text gin_trgm_ops);

create or replace function public.wa_inbox_filter_sql(
  p_status boolean,
  p_assignee boolean,
  p_unassigned boolean,
  p_tag boolean,
  p_pattern boolean
)
returns text
language sql
immutable
set search_path = ''
as $$
  select 't.workspace_id = $1'
    || case when p_status then ' and t.status = $2' else '' end
    || case when p_assignee then ' and t.assigned_to = $3' else '' end
    || case when p_unassigned then ' and t.assigned_to is null' else '' end
    || case when p_tag then ' and exists (select 1 from public.wa_thread_tags tt where tt.workspace_id = $1 and tt.thread_id = t.id and tt.tag = $4)' else '' end
    || case when p_pattern then ' and t.search_text like lower($5)' else '' end
$$;
revoke all on function public.wa_inbox_filter_sql(boolean, boolean, boolean, boolean, boolean) from public, anon;

drop index concurrently if exists public.wa_threads_search_trgm_idx;
