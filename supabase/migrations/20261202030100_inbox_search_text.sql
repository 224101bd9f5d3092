-- The inbox search reads a stored, lower-cased search text instead of building and case-folding
-- "name number preview" for every row it checks: a trigram match is lossy, so each candidate row
-- is re-checked, and a common term re-checked thousands (issue 13's bench: q p99 over 20 ms).
-- This file adds and fills the column; the next builds its index concurrently and switches the
-- search to it.
--
-- A plain column kept by a trigger, not a generated one: adding a stored generated column
-- rewrites the table under an ACCESS EXCLUSIVE lock. The fill below writes each thread once under
-- row locks (reads go on; an ingest touching a thread waits for this file's commit).
alter table public.wa_threads add column if not exists search_text text;

-- Lower-cased with the database's collation, as `ilike` folds case, so `like` on it finds the same.
create or replace function public.wa_threads_search_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.search_text := lower(coalesce(new.contact_name, '') || ' ' || new.contact_wa_id || ' ' || coalesce(new.last_message_preview, ''));
  return new;
end
$$;
revoke all on function public.wa_threads_search_text() from public, anon, authenticated;

drop trigger if exists wa_threads_search_text on public.wa_threads;
create trigger wa_threads_search_text
  before insert or update of contact_name, contact_wa_id, last_message_preview, search_text on public.wa_threads
  for each row execute function public.wa_threads_search_text();

-- The fill is no news: without this, the realtime trigger would send one event per thread.
alter table public.wa_threads disable trigger wa_threads_notify_update;
update public.wa_threads
  set search_text = lower(coalesce(contact_name, '') || ' ' || contact_wa_id || ' ' || coalesce(last_message_preview, ''))
  where search_text is distinct from lower(coalesce(contact_name, '') || ' ' || contact_wa_id || ' ' || coalesce(last_message_preview, ''));
alter table public.wa_threads enable trigger wa_threads_notify_update;
