-- Back to 20261202030000's search (the column stays until its own rollback): `ilike` on the expression, with its trigram index.
create index if not exists wa_threads_search_trgm_idx on public.wa_threads using gin (
  (coalesce(contact_name, '') || ' ' || contact_wa_id || ' ' || coalesce(last_message_preview, '')) gin_trgm_ops
);

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
    || case when p_pattern then ' and (coalesce(t.contact_name, '''') || '' '' || t.contact_wa_id || '' '' || coalesce(t.last_message_preview, '''')) ilike $5' else '' end
$$;
revoke all on function public.wa_inbox_filter_sql(boolean, boolean, boolean, boolean, boolean) from public, anon;

drop index if exists public.wa_threads_search_text_trgm_idx;
