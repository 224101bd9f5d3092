-- Meta Hub core: connections (WhatsApp Cloud API numbers), threads, tags, messages.

create table if not exists public.wa_phone_numbers (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  phone_number_id text not null unique,
  waba_id text,
  display_phone_number text,
  display_name text,
  -- AES-256-GCM ciphertext (iv.tag.data, base64); never readable by API roles.
  access_token_enc text,
  status text not null default 'active' check (status in ('active', 'inactive')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists wa_phone_numbers_workspace_idx on public.wa_phone_numbers (workspace_id);
alter table public.wa_phone_numbers enable row level security;

-- Members may read their connections, but never the token column.
revoke select on public.wa_phone_numbers from anon, authenticated;
grant select (id, workspace_id, phone_number_id, waba_id, display_phone_number, display_name, status, created_at, updated_at)
  on public.wa_phone_numbers to authenticated;

drop policy if exists wa_phone_numbers_member_read on public.wa_phone_numbers;
create policy wa_phone_numbers_member_read on public.wa_phone_numbers
  for select to authenticated
  using (public.is_workspace_member(workspace_id));

create table if not exists public.wa_threads (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  phone_number_id text not null,
  contact_wa_id text not null,
  contact_name text,
  status text not null default 'open' check (status in ('open', 'pending', 'closed')),
  assigned_to uuid references auth.users (id) on delete set null,
  unread_count integer not null default 0 check (unread_count >= 0),
  last_message_preview text,
  last_message_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, phone_number_id, contact_wa_id)
);
create index if not exists wa_threads_workspace_last_message_idx
  on public.wa_threads (workspace_id, last_message_at desc nulls last, id desc);
create index if not exists wa_threads_assigned_idx on public.wa_threads (workspace_id, assigned_to);
-- Inbox search (q): contact name, number and last message in one trigram index.
create index if not exists wa_threads_search_trgm_idx on public.wa_threads using gin (
  (coalesce(contact_name, '') || ' ' || contact_wa_id || ' ' || coalesce(last_message_preview, '')) gin_trgm_ops
);
alter table public.wa_threads enable row level security;

drop policy if exists wa_threads_member_all on public.wa_threads;
create policy wa_threads_member_all on public.wa_threads
  for all to authenticated
  using (public.is_workspace_member(workspace_id))
  with check (public.is_workspace_member(workspace_id));

create table if not exists public.wa_thread_tags (
  thread_id uuid not null references public.wa_threads (id) on delete cascade,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  tag text not null check (length(tag) between 1 and 64),
  created_at timestamptz not null default now(),
  primary key (thread_id, tag)
);
create index if not exists wa_thread_tags_workspace_tag_idx on public.wa_thread_tags (workspace_id, tag);
alter table public.wa_thread_tags enable row level security;

drop policy if exists wa_thread_tags_member_all on public.wa_thread_tags;
create policy wa_thread_tags_member_all on public.wa_thread_tags
  for all to authenticated
  using (public.is_workspace_member(workspace_id))
  with check (public.is_workspace_member(workspace_id));

create table if not exists public.wa_messages (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  thread_id uuid not null references public.wa_threads (id) on delete cascade,
  phone_number_id text,
  wa_message_id text,
  direction text not null check (direction in ('in', 'out')),
  type text not null default 'text',
  text text,
  payload jsonb not null default '{}'::jsonb,
  status text not null check (status in ('queued', 'sent', 'delivered', 'read', 'failed', 'received')),
  error_code text,
  error_message text,
  status_at timestamptz,
  created_at timestamptz not null default now(),
  unique (workspace_id, wa_message_id)
);
create index if not exists wa_messages_thread_created_idx on public.wa_messages (thread_id, created_at desc);
alter table public.wa_messages enable row level security;

drop policy if exists wa_messages_member_read on public.wa_messages;
create policy wa_messages_member_read on public.wa_messages
  for select to authenticated
  using (public.is_workspace_member(workspace_id));
