-- Seed 000: WhatsApp multi-connection routing. Threads and messages get a deterministic
-- connection_id (instead of trusting a possibly stale phone_number_id), unmatched webhooks go
-- to orphan_webhook_events, and existing rows are backfilled from phone_number_id.

alter table public.wa_threads
  add column if not exists connection_id uuid references public.wa_phone_numbers (id) on delete set null;
alter table public.wa_messages
  add column if not exists connection_id uuid references public.wa_phone_numbers (id) on delete set null;
create index if not exists wa_threads_connection_id_idx on public.wa_threads (connection_id);
create index if not exists wa_messages_connection_id_idx on public.wa_messages (connection_id);

create table if not exists public.orphan_webhook_events (
  id uuid primary key default gen_random_uuid(),
  phone_number_id text,
  event_key text,
  payload jsonb not null default '{}'::jsonb,
  reason text not null,
  received_at timestamptz not null default now()
);
-- wabase:converge public.orphan_webhook_events: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.orphan_webhook_events
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists phone_number_id text,
  add column if not exists event_key text,
  add column if not exists payload jsonb not null default '{}'::jsonb,
  add column if not exists reason text not null,
  add column if not exists received_at timestamptz not null default now();
alter table public.orphan_webhook_events
  alter column id set default gen_random_uuid(),
  alter column phone_number_id drop not null,
  alter column event_key drop not null,
  alter column payload set not null,
  alter column payload set default '{}'::jsonb,
  alter column reason set not null,
  alter column received_at set not null,
  alter column received_at set default now();
-- wabase:end-converge
create index if not exists orphan_webhook_events_phone_number_idx on public.orphan_webhook_events (phone_number_id);
create index if not exists orphan_webhook_events_received_idx on public.orphan_webhook_events (received_at desc);
-- Meta re-sends events: an orphan is kept once per number and event.
create unique index if not exists orphan_webhook_events_event_key_key
  on public.orphan_webhook_events (coalesce(phone_number_id, ''), event_key) where event_key is not null;
alter table public.orphan_webhook_events enable row level security;

-- Backfill: a thread belongs to the connection of its workspace with its phone_number_id.
update public.wa_threads t
set connection_id = c.id
from public.wa_phone_numbers c
where t.connection_id is null
  and c.phone_number_id = t.phone_number_id
  and c.workspace_id = t.workspace_id;

update public.wa_messages m
set connection_id = t.connection_id
from public.wa_threads t
where m.connection_id is null
  and m.thread_id = t.id
  and t.connection_id is not null;
