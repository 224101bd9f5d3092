-- The stored search text goes (20261202030200's rollback has switched the search back first).
drop trigger if exists wa_threads_search_text on public.wa_threads;
drop function if exists public.wa_threads_search_text();
alter table public.wa_threads drop column if exists search_text;
