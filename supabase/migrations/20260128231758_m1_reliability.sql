-- Seed 000 m1 reliability: an idempotent webhook event store, a durable rate limiter, and an
-- outbox with idempotency keys claimed with SKIP LOCKED under a lease.

create table if not exists public.meta_webhook_events (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  event_key text not null,
  payload jsonb not null default '{}'::jsonb,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  error text,
  unique (workspace_id, event_key)
);
-- wabase:converge public.meta_webhook_events: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.meta_webhook_events
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists event_key text not null,
  add column if not exists payload jsonb not null default '{}'::jsonb,
  add column if not exists received_at timestamptz not null default now(),
  add column if not exists processed_at timestamptz,
  add column if not exists error text;
alter table public.meta_webhook_events
  alter column id set default gen_random_uuid(),
  alter column workspace_id set not null,
  alter column event_key set not null,
  alter column payload set not null,
  alter column payload set default '{}'::jsonb,
  alter column received_at set not null,
  alter column received_at set default now(),
  alter column processed_at drop not null,
  alter column error drop not null;
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.meta_webhook_events'::regclass and conname = 'meta_webhook_events_workspace_id_event_key_key') then
    alter table public.meta_webhook_events add constraint meta_webhook_events_workspace_id_event_key_key UNIQUE (workspace_id, event_key);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.meta_webhook_events'::regclass and conname = 'meta_webhook_events_workspace_id_fkey') then
    alter table public.meta_webhook_events add constraint meta_webhook_events_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
end
$$;
-- wabase:end-converge
create index if not exists meta_webhook_events_received_idx on public.meta_webhook_events (received_at desc);
alter table public.meta_webhook_events enable row level security;

create table if not exists public.rate_limit_counters (
  key text not null,
  window_start timestamptz not null,
  count integer not null default 0,
  primary key (key, window_start)
);
-- wabase:converge public.rate_limit_counters: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.rate_limit_counters
  add column if not exists key text not null,
  add column if not exists window_start timestamptz not null,
  add column if not exists count integer not null default 0;
alter table public.rate_limit_counters
  alter column key set not null,
  alter column window_start set not null,
  alter column count set not null,
  alter column count set default 0;
-- wabase:end-converge
alter table public.rate_limit_counters enable row level security;

-- Takes one slot of at most p_cap per fixed window of p_window_seconds for p_key. True when a slot
-- was granted. The counter row's lock makes concurrent callers exact.
create or replace function public.take_rate_limit_slot(p_key text, p_cap integer, p_window_seconds integer)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_window timestamptz;
  v_count integer;
begin
  if p_key is null or p_cap is null or p_cap < 1 or p_window_seconds is null or p_window_seconds < 1 then
    raise exception using errcode = '22023', message = 'invalid_rate_limit';
  end if;
  v_window := to_timestamp(floor(extract(epoch from clock_timestamp()) / p_window_seconds) * p_window_seconds);
  insert into public.rate_limit_counters as c (key, window_start, count)
  values (p_key, v_window, 1)
  on conflict (key, window_start) do update
    set count = c.count + 1
    where c.count < p_cap
  returning c.count into v_count;
  -- Old windows of this key are of no use; drop them now and then.
  if random() < 0.02 then
    delete from public.rate_limit_counters c where c.key = p_key and c.window_start < v_window;
  end if;
  return v_count is not null;
end
$$;

create table if not exists public.outbox_messages (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  thread_id uuid references public.wa_threads (id) on delete set null,
  connection_id uuid references public.wa_phone_numbers (id) on delete set null,
  message_id uuid references public.wa_messages (id) on delete set null,
  to_phone text not null,
  payload jsonb not null default '{}'::jsonb,
  idempotency_key text not null,
  status text not null default 'queued' check (status in ('queued', 'processing', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_at timestamptz,
  locked_by text,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- wabase:converge public.outbox_messages: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.outbox_messages
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists to_phone text not null,
  add column if not exists payload jsonb not null default '{}'::jsonb,
  add column if not exists status text not null default 'queued' check (status in ('queued', 'processing', 'sent', 'failed')),
  add column if not exists created_at timestamptz not null default now();
alter table public.outbox_messages
  alter column id set default gen_random_uuid(),
  alter column to_phone set not null,
  alter column payload set not null,
  alter column payload set default '{}'::jsonb,
  alter column status set not null,
  alter column status set default 'queued'::text,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.outbox_messages'::regclass and conname = 'outbox_messages_workspace_id_fkey') then
    alter table public.outbox_messages add constraint outbox_messages_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.outbox_messages'::regclass and conname = 'outbox_messages_thread_id_fkey') then
    alter table public.outbox_messages add constraint outbox_messages_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES public.wa_threads(id) ON DELETE SET NULL;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.outbox_messages'::regclass and conname = 'outbox_messages_connection_id_fkey') then
    alter table public.outbox_messages add constraint outbox_messages_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES public.wa_phone_numbers(id) ON DELETE SET NULL;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.outbox_messages'::regclass and conname = 'outbox_messages_message_id_fkey') then
    alter table public.outbox_messages add constraint outbox_messages_message_id_fkey FOREIGN KEY (message_id) REFERENCES public.wa_messages(id) ON DELETE SET NULL;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.outbox_messages'::regclass and conname = 'outbox_messages_status_check') then
    alter table public.outbox_messages add constraint outbox_messages_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'processing'::text, 'sent'::text, 'failed'::text])));
  end if;
end
$$;
-- wabase:end-converge
-- An older outbox_messages gets the columns m1 adds.
alter table public.outbox_messages add column if not exists workspace_id uuid references public.workspaces (id) on delete cascade;
alter table public.outbox_messages add column if not exists thread_id uuid references public.wa_threads (id) on delete set null;
alter table public.outbox_messages add column if not exists connection_id uuid references public.wa_phone_numbers (id) on delete set null;
alter table public.outbox_messages add column if not exists message_id uuid references public.wa_messages (id) on delete set null;
alter table public.outbox_messages add column if not exists idempotency_key text;
alter table public.outbox_messages add column if not exists attempts integer not null default 0;
alter table public.outbox_messages add column if not exists next_attempt_at timestamptz not null default now();
alter table public.outbox_messages add column if not exists locked_at timestamptz;
alter table public.outbox_messages add column if not exists locked_by text;
alter table public.outbox_messages add column if not exists last_error text;
alter table public.outbox_messages add column if not exists sent_at timestamptz;
alter table public.outbox_messages add column if not exists updated_at timestamptz not null default now();
create unique index if not exists outbox_messages_idempotency_key_key on public.outbox_messages (idempotency_key);
create index if not exists outbox_messages_due_idx on public.outbox_messages (next_attempt_at) where status = 'queued';
create index if not exists outbox_messages_lease_idx on public.outbox_messages (locked_at) where status = 'processing';
alter table public.outbox_messages enable row level security;

-- Claims up to p_limit due rows for p_worker: queued rows whose time has come, and rows whose
-- lease expired (their worker died). The lease is wabase.outbox_lease_seconds (default 300).
create or replace function public.claim_outbox(p_limit integer, p_worker text)
returns setof public.outbox_messages
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_lease interval := make_interval(secs => coalesce(nullif(current_setting('wabase.outbox_lease_seconds', true), '')::integer, 300));
begin
  return query
  with due as (
    select o.id
    from public.outbox_messages o
    where (o.status = 'queued' and o.next_attempt_at <= now())
       or (o.status = 'processing' and o.locked_at < now() - v_lease)
    order by o.next_attempt_at
    limit greatest(p_limit, 0)
    for update skip locked
  )
  update public.outbox_messages o
  set status = 'processing', locked_at = now(), locked_by = p_worker, attempts = o.attempts + 1, updated_at = now()
  from due
  where o.id = due.id
  returning o.*;
end
$$;
