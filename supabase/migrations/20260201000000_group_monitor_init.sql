-- Seed 001 (BP-DB 0001_init): the WhatsApp group monitor, as the seed writes it, with the two
-- hardenings of CONTRACTS.md:
--   * RLS is enabled on every table, with no policy for anon/authenticated: access stays
--     server-owned as the seed wants, and a Supabase anon key can no longer read it;
--   * "at most one wa_sessions row" is a real unique index on a constant, not the seed's
--     NOT VALID check (a check with a subquery is rejected by PostgreSQL, and the seed's
--     exception handler silently swallowed that, so its guard never existed).

-- === GROUPS ===
create table if not exists public.groups (
  id uuid primary key default uuid_generate_v4(),
  wa_group_id text not null unique,
  name text not null,
  monitor boolean not null default false,
  last_seen_ts timestamptz,
  created_at timestamptz not null default now()
);
-- wabase:converge public.groups: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.groups
  add column if not exists id uuid primary key default uuid_generate_v4(),
  add column if not exists wa_group_id text not null unique,
  add column if not exists name text not null,
  add column if not exists monitor boolean not null default false,
  add column if not exists last_seen_ts timestamptz,
  add column if not exists created_at timestamptz not null default now();
alter table public.groups
  alter column id set default uuid_generate_v4(),
  alter column wa_group_id set not null,
  alter column name set not null,
  alter column monitor set not null,
  alter column monitor set default false,
  alter column last_seen_ts drop not null,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.groups'::regclass and conname = 'groups_wa_group_id_key') then
    alter table public.groups add constraint groups_wa_group_id_key UNIQUE (wa_group_id);
  end if;
end
$$;
-- wabase:end-converge
create index if not exists groups_monitor_idx on public.groups (monitor);
create index if not exists groups_last_seen_ts_idx on public.groups (last_seen_ts);
create index if not exists groups_name_trgm_idx on public.groups using gin (name gin_trgm_ops);

-- === MEDIA ===
create table if not exists public.media (
  id uuid primary key default uuid_generate_v4(),
  sha256 char(64) not null unique,
  mime text not null,
  bytes bigint not null,
  width int,
  height int,
  duration_s numeric(10,3),
  storage_path text not null,
  ocr_text text,
  asr_text text,
  meta jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
-- wabase:converge public.media: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.media
  add column if not exists id uuid primary key default uuid_generate_v4(),
  add column if not exists sha256 char(64) not null unique,
  add column if not exists mime text not null,
  add column if not exists bytes bigint not null,
  add column if not exists width int,
  add column if not exists height int,
  add column if not exists duration_s numeric(10,3),
  add column if not exists storage_path text not null,
  add column if not exists ocr_text text,
  add column if not exists asr_text text,
  add column if not exists meta jsonb not null default '{}'::jsonb,
  add column if not exists created_at timestamptz not null default now();
alter table public.media
  alter column id set default uuid_generate_v4(),
  alter column sha256 set not null,
  alter column mime set not null,
  alter column bytes set not null,
  alter column width drop not null,
  alter column height drop not null,
  alter column duration_s drop not null,
  alter column storage_path set not null,
  alter column ocr_text drop not null,
  alter column asr_text drop not null,
  alter column meta set not null,
  alter column meta set default '{}'::jsonb,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.media'::regclass and conname = 'media_sha256_key') then
    alter table public.media add constraint media_sha256_key UNIQUE (sha256);
  end if;
end
$$;
-- wabase:end-converge
create index if not exists media_phash_idx on public.media ((meta->>'phash'));
create index if not exists media_ocr_trgm on public.media using gin (ocr_text gin_trgm_ops);
create index if not exists media_asr_trgm on public.media using gin (asr_text gin_trgm_ops);

-- === MESSAGES ===
create table if not exists public.messages (
  id uuid primary key default uuid_generate_v4(),
  wa_msg_id text not null unique,
  ts timestamptz not null,
  chat_id text not null,
  sender text not null,
  kind text not null check (kind in ('text','image','video','audio','doc','other')),
  text text,
  media_id uuid references public.media(id) on delete set null,
  group_id uuid references public.groups(id) on delete set null,
  parent_id uuid references public.messages(id) on delete set null,
  raw jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
-- wabase:converge public.messages: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.messages
  add column if not exists id uuid primary key default uuid_generate_v4(),
  add column if not exists wa_msg_id text not null unique,
  add column if not exists ts timestamptz not null,
  add column if not exists chat_id text not null,
  add column if not exists sender text not null,
  add column if not exists kind text not null check (kind in ('text','image','video','audio','doc','other')),
  add column if not exists text text,
  add column if not exists media_id uuid references public.media(id) on delete set null,
  add column if not exists group_id uuid references public.groups(id) on delete set null,
  add column if not exists parent_id uuid references public.messages(id) on delete set null,
  add column if not exists raw jsonb not null default '{}'::jsonb,
  add column if not exists created_at timestamptz not null default now();
alter table public.messages
  alter column id set default uuid_generate_v4(),
  alter column wa_msg_id set not null,
  alter column ts set not null,
  alter column chat_id set not null,
  alter column sender set not null,
  alter column kind set not null,
  alter column text drop not null,
  alter column media_id drop not null,
  alter column group_id drop not null,
  alter column parent_id drop not null,
  alter column raw set not null,
  alter column raw set default '{}'::jsonb,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.messages'::regclass and conname = 'messages_wa_msg_id_key') then
    alter table public.messages add constraint messages_wa_msg_id_key UNIQUE (wa_msg_id);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.messages'::regclass and conname = 'messages_kind_check') then
    alter table public.messages add constraint messages_kind_check CHECK ((kind = ANY (ARRAY['text'::text, 'image'::text, 'video'::text, 'audio'::text, 'doc'::text, 'other'::text])));
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.messages'::regclass and conname = 'messages_media_id_fkey') then
    alter table public.messages add constraint messages_media_id_fkey FOREIGN KEY (media_id) REFERENCES public.media(id) ON DELETE SET NULL;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.messages'::regclass and conname = 'messages_group_id_fkey') then
    alter table public.messages add constraint messages_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.groups(id) ON DELETE SET NULL;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.messages'::regclass and conname = 'messages_parent_id_fkey') then
    alter table public.messages add constraint messages_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.messages(id) ON DELETE SET NULL;
  end if;
end
$$;
-- wabase:end-converge
create index if not exists messages_chat_ts_idx on public.messages (chat_id, ts desc);
create index if not exists messages_text_trgm on public.messages using gin (text gin_trgm_ops);
create index if not exists messages_kind_idx on public.messages (kind);
create index if not exists messages_group_idx on public.messages (group_id);
create index if not exists messages_ts_idx on public.messages (ts desc);

-- === OPTIONAL TAGS (not used in UI yet) ===
create table if not exists public.message_tags (
  message_id uuid references public.messages(id) on delete cascade,
  tag text not null,
  primary key (message_id, tag)
);
-- wabase:converge public.message_tags: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.message_tags
  add column if not exists message_id uuid references public.messages(id) on delete cascade,
  add column if not exists tag text not null;
alter table public.message_tags
  alter column tag set not null;
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.message_tags'::regclass and conname = 'message_tags_message_id_fkey') then
    alter table public.message_tags add constraint message_tags_message_id_fkey FOREIGN KEY (message_id) REFERENCES public.messages(id) ON DELETE CASCADE;
  end if;
end
$$;
-- wabase:end-converge
create index if not exists message_tags_tag_idx on public.message_tags (tag);

-- === BLOCKLISTS (optional guards) ===
create table if not exists public.block_groups (
  wa_group_id text primary key,
  reason text,
  created_at timestamptz not null default now()
);
-- wabase:converge public.block_groups: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.block_groups
  add column if not exists wa_group_id text primary key,
  add column if not exists reason text,
  add column if not exists created_at timestamptz not null default now();
alter table public.block_groups
  alter column reason drop not null,
  alter column created_at set not null,
  alter column created_at set default now();
-- wabase:end-converge
create table if not exists public.block_senders (
  sender text primary key,
  reason text,
  created_at timestamptz not null default now()
);
-- wabase:converge public.block_senders: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.block_senders
  add column if not exists sender text primary key,
  add column if not exists reason text,
  add column if not exists created_at timestamptz not null default now();
alter table public.block_senders
  alter column reason drop not null,
  alter column created_at set not null,
  alter column created_at set default now();
-- wabase:end-converge
create table if not exists public.block_keywords (
  keyword text primary key,
  created_at timestamptz not null default now()
);
-- wabase:converge public.block_keywords: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.block_keywords
  add column if not exists keyword text primary key,
  add column if not exists created_at timestamptz not null default now();
alter table public.block_keywords
  alter column created_at set not null,
  alter column created_at set default now();
-- wabase:end-converge

-- === AUDIT LOG ===
create table if not exists public.audit_log (
  id uuid primary key default uuid_generate_v4(),
  kind text not null check (kind in ('connect','disconnect','reconnect','qr_generated','discovery','group_rename','ingest','error')),
  at timestamptz not null default now(),
  detail jsonb not null default '{}'::jsonb
);
-- wabase:converge public.audit_log: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.audit_log
  add column if not exists id uuid primary key default uuid_generate_v4(),
  add column if not exists kind text not null check (kind in ('connect','disconnect','reconnect','qr_generated','discovery','group_rename','ingest','error')),
  add column if not exists at timestamptz not null default now(),
  add column if not exists detail jsonb not null default '{}'::jsonb;
alter table public.audit_log
  alter column id set default uuid_generate_v4(),
  alter column kind set not null,
  alter column at set not null,
  alter column at set default now(),
  alter column detail set not null,
  alter column detail set default '{}'::jsonb;
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.audit_log'::regclass and conname = 'audit_log_kind_check') then
    alter table public.audit_log add constraint audit_log_kind_check CHECK ((kind = ANY (ARRAY['connect'::text, 'disconnect'::text, 'reconnect'::text, 'qr_generated'::text, 'discovery'::text, 'group_rename'::text, 'ingest'::text, 'error'::text])));
  end if;
end
$$;
-- wabase:end-converge
create index if not exists audit_log_at_desc_idx on public.audit_log (at desc);
create index if not exists audit_log_kind_idx on public.audit_log (kind);

-- === WA SESSIONS (worker state) ===
create table if not exists public.wa_sessions (
  id uuid primary key default uuid_generate_v4(),
  status text not null check (status in ('connected','connecting','disconnected')),
  wa_number text,
  wa_name text,
  creds_json jsonb not null default '{}'::jsonb,
  keys_json jsonb not null default '{}'::jsonb,
  detail jsonb not null default '{}'::jsonb, -- holds {qr, expiresAt, ...}
  last_status_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
-- wabase:converge public.wa_sessions: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_sessions
  add column if not exists id uuid primary key default uuid_generate_v4(),
  add column if not exists status text not null check (status in ('connected','connecting','disconnected')),
  add column if not exists wa_number text,
  add column if not exists wa_name text,
  add column if not exists creds_json jsonb not null default '{}'::jsonb,
  add column if not exists keys_json jsonb not null default '{}'::jsonb,
  add column if not exists detail jsonb not null default '{}'::jsonb,
  add column if not exists last_status_at timestamptz not null default now(),
  add column if not exists created_at timestamptz not null default now();
alter table public.wa_sessions
  alter column id set default uuid_generate_v4(),
  alter column status set not null,
  alter column wa_number drop not null,
  alter column wa_name drop not null,
  alter column creds_json set not null,
  alter column creds_json set default '{}'::jsonb,
  alter column keys_json set not null,
  alter column keys_json set default '{}'::jsonb,
  alter column detail set not null,
  alter column detail set default '{}'::jsonb,
  alter column last_status_at set not null,
  alter column last_status_at set default now(),
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_sessions'::regclass and conname = 'wa_sessions_status_check') then
    alter table public.wa_sessions add constraint wa_sessions_status_check CHECK ((status = ANY (ARRAY['connected'::text, 'connecting'::text, 'disconnected'::text])));
  end if;
end
$$;
-- wabase:end-converge
create index if not exists wa_sessions_status_idx on public.wa_sessions (status);
create index if not exists wa_sessions_last_status_at_idx on public.wa_sessions (last_status_at desc);
-- Single-row guard (MVP single WA session): every row has the same key, so a second one fails.
create unique index if not exists wa_sessions_single_row_idx on public.wa_sessions ((true));

-- === GOOGLE TOKENS (encrypted at rest by app) ===
create table if not exists public.google_tokens (
  id uuid primary key default uuid_generate_v4(),
  google_user_id text not null unique,
  email text not null,
  name text,
  picture_url text,
  access_token_enc text not null,
  refresh_token_enc text,
  expiry timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- wabase:converge public.google_tokens: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.google_tokens
  add column if not exists id uuid primary key default uuid_generate_v4(),
  add column if not exists google_user_id text not null unique,
  add column if not exists email text not null,
  add column if not exists name text,
  add column if not exists picture_url text,
  add column if not exists access_token_enc text not null,
  add column if not exists refresh_token_enc text,
  add column if not exists expiry timestamptz,
  add column if not exists created_at timestamptz not null default now(),
  add column if not exists updated_at timestamptz not null default now();
alter table public.google_tokens
  alter column id set default uuid_generate_v4(),
  alter column google_user_id set not null,
  alter column email set not null,
  alter column name drop not null,
  alter column picture_url drop not null,
  alter column access_token_enc set not null,
  alter column refresh_token_enc drop not null,
  alter column expiry drop not null,
  alter column created_at set not null,
  alter column created_at set default now(),
  alter column updated_at set not null,
  alter column updated_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.google_tokens'::regclass and conname = 'google_tokens_google_user_id_key') then
    alter table public.google_tokens add constraint google_tokens_google_user_id_key UNIQUE (google_user_id);
  end if;
end
$$;
-- wabase:end-converge
create index if not exists google_tokens_email_idx on public.google_tokens (email);

-- === RUNTIME FLAGS (ui <-> worker signaling) ===
create table if not exists public.runtime_flags (
  key text primary key,
  value jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now()
);
-- wabase:converge public.runtime_flags: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.runtime_flags
  add column if not exists key text primary key,
  add column if not exists value jsonb not null default '{}'::jsonb,
  add column if not exists updated_at timestamptz not null default now();
alter table public.runtime_flags
  alter column value set not null,
  alter column value set default '{}'::jsonb,
  alter column updated_at set not null,
  alter column updated_at set default now();
-- wabase:end-converge

-- === HELPER VIEW ===
-- security_invoker: the view reads messages with the caller's rights, so RLS still applies.
create or replace view public.messages_latest_per_group with (security_invoker = true) as
select distinct on (chat_id) *
from public.messages
order by chat_id, ts desc;

-- === RLS: server-owned, nothing for anon/authenticated ===
alter table public.groups enable row level security;
alter table public.media enable row level security;
alter table public.messages enable row level security;
alter table public.message_tags enable row level security;
alter table public.block_groups enable row level security;
alter table public.block_senders enable row level security;
alter table public.block_keywords enable row level security;
alter table public.audit_log enable row level security;
alter table public.wa_sessions enable row level security;
alter table public.google_tokens enable row level security;
alter table public.runtime_flags enable row level security;
