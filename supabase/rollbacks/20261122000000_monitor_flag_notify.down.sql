drop trigger if exists runtime_flags_notify on public.runtime_flags;
drop function if exists public.notify_runtime_flag();
