-- Runtime flags (seed 001, UI -> worker): every write of a flag notifies the channel
-- wabase_runtime_flags with the flag's key, so a listening worker acts within moments instead of
-- waiting for its next poll. Polling stays as the fallback (poolers that drop LISTEN).
create or replace function public.notify_runtime_flag()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('wabase_runtime_flags', new.key);
  return new;
end;
$$;

drop trigger if exists runtime_flags_notify on public.runtime_flags;
create trigger runtime_flags_notify
  after insert or update on public.runtime_flags
  for each row execute function public.notify_runtime_flag();
