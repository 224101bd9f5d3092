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
-- wabase:converge public.wa_phone_numbers: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_phone_numbers
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists phone_number_id text not null unique,
  add column if not exists waba_id text,
  add column if not exists display_phone_number text,
  add column if not exists display_name text,
  add column if not exists access_token_enc text,
  add column if not exists status text not null default 'active' check (status in ('active', 'inactive')),
  add column if not exists created_at timestamptz not null default now(),
  add column if not exists updated_at timestamptz not null default now();
alter table public.wa_phone_numbers
  alter column id set default gen_random_uuid(),
  alter column workspace_id set not null,
  alter column phone_number_id set not null,
  alter column waba_id drop not null,
  alter column display_phone_number drop not null,
  alter column display_name drop not null,
  alter column access_token_enc drop not null,
  alter column status set not null,
  alter column status set default 'active'::text,
  alter column created_at set not null,
  alter column created_at set default now(),
  alter column updated_at set not null,
  alter column updated_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_phone_numbers'::regclass and conname = 'wa_phone_numbers_workspace_id_fkey') then
    alter table public.wa_phone_numbers add constraint wa_phone_numbers_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_phone_numbers'::regclass and conname = 'wa_phone_numbers_phone_number_id_key') then
    alter table public.wa_phone_numbers add constraint wa_phone_numbers_phone_number_id_key UNIQUE (phone_number_id);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_phone_numbers'::regclass and conname = 'wa_phone_numbers_status_check') then
    alter table public.wa_phone_numbers add constraint wa_phone_numbers_status_check CHECK ((status = ANY (ARRAY['active'::text, 'inactive'::text])));
  end if;
end
$$;
-- wabase:end-converge
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
-- wabase:converge public.wa_threads: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_threads
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists phone_number_id text not null,
  add column if not exists contact_wa_id text not null,
  add column if not exists contact_name text,
  add column if not exists status text not null default 'open' check (status in ('open', 'pending', 'closed')),
  add column if not exists assigned_to uuid references auth.users (id) on delete set null,
  add column if not exists unread_count integer not null default 0 check (unread_count >= 0),
  add column if not exists last_message_preview text,
  add column if not exists last_message_at timestamptz,
  add column if not exists created_at timestamptz not null default now(),
  add column if not exists updated_at timestamptz not null default now();
alter table public.wa_threads
  alter column id set default gen_random_uuid(),
  alter column workspace_id set not null,
  alter column phone_number_id set not null,
  alter column contact_wa_id set not null,
  alter column contact_name drop not null,
  alter column status set not null,
  alter column status set default 'open'::text,
  alter column assigned_to drop not null,
  alter column unread_count set not null,
  alter column unread_count set default 0,
  alter column last_message_preview drop not null,
  alter column last_message_at drop not null,
  alter column created_at set not null,
  alter column created_at set default now(),
  alter column updated_at set not null,
  alter column updated_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_threads'::regclass and conname = 'wa_threads_workspace_id_phone_number_id_contact_wa_id_key') then
    alter table public.wa_threads add constraint wa_threads_workspace_id_phone_number_id_contact_wa_id_key UNIQUE (workspace_id, phone_number_id, contact_wa_id);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_threads'::regclass and conname = 'wa_threads_workspace_id_fkey') then
    alter table public.wa_threads add constraint wa_threads_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_threads'::regclass and conname = 'wa_threads_status_check') then
    alter table public.wa_threads add constraint wa_threads_status_check CHECK ((status = ANY (ARRAY['open'::text, 'pending'::text, 'closed'::text])));
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_threads'::regclass and conname = 'wa_threads_assigned_to_fkey') then
    alter table public.wa_threads add constraint wa_threads_assigned_to_fkey FOREIGN KEY (assigned_to) REFERENCES auth.users(id) ON DELETE SET NULL;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_threads'::regclass and conname = 'wa_threads_unread_count_check') then
    alter table public.wa_threads add constraint wa_threads_unread_count_check CHECK ((unread_count >= 0));
  end if;
end
$$;
-- wabase:end-converge
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
-- wabase:converge public.wa_thread_tags: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_thread_tags
  add column if not exists thread_id uuid not null references public.wa_threads (id) on delete cascade,
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists tag text not null check (length(tag) between 1 and 64),
  add column if not exists created_at timestamptz not null default now();
alter table public.wa_thread_tags
  alter column thread_id set not null,
  alter column workspace_id set not null,
  alter column tag set not null,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_thread_tags'::regclass and conname = 'wa_thread_tags_thread_id_fkey') then
    alter table public.wa_thread_tags add constraint wa_thread_tags_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES public.wa_threads(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_thread_tags'::regclass and conname = 'wa_thread_tags_workspace_id_fkey') then
    alter table public.wa_thread_tags add constraint wa_thread_tags_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_thread_tags'::regclass and conname = 'wa_thread_tags_tag_check') then
    alter table public.wa_thread_tags add constraint wa_thread_tags_tag_check CHECK (((length(tag) >= 1) AND (length(tag) <= 64)));
  end if;
end
$$;
-- wabase:end-converge
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
-- wabase:converge public.wa_messages: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_messages
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists thread_id uuid not null references public.wa_threads (id) on delete cascade,
  add column if not exists phone_number_id text,
  add column if not exists wa_message_id text,
  add column if not exists direction text not null check (direction in ('in', 'out')),
  add column if not exists type text not null default 'text',
  add column if not exists text text,
  add column if not exists payload jsonb not null default '{}'::jsonb,
  add column if not exists status text not null check (status in ('queued', 'sent', 'delivered', 'read', 'failed', 'received')),
  add column if not exists error_code text,
  add column if not exists error_message text,
  add column if not exists status_at timestamptz,
  add column if not exists created_at timestamptz not null default now();
alter table public.wa_messages
  alter column id set default gen_random_uuid(),
  alter column workspace_id set not null,
  alter column thread_id set not null,
  alter column phone_number_id drop not null,
  alter column wa_message_id drop not null,
  alter column direction set not null,
  alter column type set not null,
  alter column type set default 'text'::text,
  alter column text drop not null,
  alter column payload set not null,
  alter column payload set default '{}'::jsonb,
  alter column status set not null,
  alter column error_code drop not null,
  alter column error_message drop not null,
  alter column status_at drop not null,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_messages'::regclass and conname = 'wa_messages_workspace_id_wa_message_id_key') then
    alter table public.wa_messages add constraint wa_messages_workspace_id_wa_message_id_key UNIQUE (workspace_id, wa_message_id);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_messages'::regclass and conname = 'wa_messages_workspace_id_fkey') then
    alter table public.wa_messages add constraint wa_messages_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_messages'::regclass and conname = 'wa_messages_thread_id_fkey') then
    alter table public.wa_messages add constraint wa_messages_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES public.wa_threads(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_messages'::regclass and conname = 'wa_messages_direction_check') then
    alter table public.wa_messages add constraint wa_messages_direction_check CHECK ((direction = ANY (ARRAY['in'::text, 'out'::text])));
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_messages'::regclass and conname = 'wa_messages_status_check') then
    alter table public.wa_messages add constraint wa_messages_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'sent'::text, 'delivered'::text, 'read'::text, 'failed'::text, 'received'::text])));
  end if;
end
$$;
-- wabase:end-converge
create index if not exists wa_messages_thread_created_idx on public.wa_messages (thread_id, created_at desc);
alter table public.wa_messages enable row level security;

drop policy if exists wa_messages_member_read on public.wa_messages;
create policy wa_messages_member_read on public.wa_messages
  for select to authenticated
  using (public.is_workspace_member(workspace_id));
