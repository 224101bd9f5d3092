-- Local auth: what wabase needs to answer GoTrue's /auth/v1 routes itself on the embedded default.
--
-- Users stay in auth.users as GoTrue keeps them (bcrypt in encrypted_password), so a team that
-- moves to Supabase keeps its logins. On Supabase those columns already exist and the table belongs
-- to supabase_auth_admin: each column is added only where it is missing, so there this changes
-- nothing. Sessions, refresh tokens, setup links and OAuth flow state are wabase's own tables in
-- public (Supabase's auth.sessions / auth.refresh_tokens have GoTrue's shape and are GoTrue's).

do $$
declare
  v_column record;
begin
  for v_column in
    select * from (values
      ('instance_id', 'uuid'),
      ('aud', 'text'),
      ('role', 'text'),
      ('encrypted_password', 'text'),
      ('email_confirmed_at', 'timestamptz'),
      ('last_sign_in_at', 'timestamptz'),
      ('raw_app_meta_data', 'jsonb not null default ''{}''::jsonb')
    ) as c (name, definition)
  loop
    -- pg_attribute, not information_schema: the latter hides columns the role has no rights on.
    if not exists (
      select 1 from pg_catalog.pg_attribute
      where attrelid = 'auth.users'::regclass and attname = v_column.name and attnum > 0 and not attisdropped
    ) then
      execute format('alter table auth.users add column %I %s', v_column.name, v_column.definition);
    end if;
  end loop;
end
$$;

-- One row per signed-in device; revoking it ends every refresh token of the family.
create table if not exists public.auth_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  refreshed_at timestamptz,
  revoked_at timestamptz,
  user_agent text,
  ip text
);
-- wabase:converge public.auth_sessions: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.auth_sessions
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists user_id uuid not null references auth.users (id) on delete cascade,
  add column if not exists created_at timestamptz not null default now(),
  add column if not exists refreshed_at timestamptz,
  add column if not exists revoked_at timestamptz,
  add column if not exists user_agent text,
  add column if not exists ip text;
alter table public.auth_sessions
  alter column id set default gen_random_uuid(),
  alter column user_id set not null,
  alter column created_at set not null,
  alter column created_at set default now(),
  alter column refreshed_at drop not null,
  alter column revoked_at drop not null,
  alter column user_agent drop not null,
  alter column ip drop not null;
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.auth_sessions'::regclass and conname = 'auth_sessions_user_id_fkey') then
    alter table public.auth_sessions add constraint auth_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
  end if;
end
$$;
-- wabase:end-converge
create index if not exists auth_sessions_user_idx on public.auth_sessions (user_id);

-- Rotating refresh tokens, stored only as sha256 hex. Each use revokes the token and adds its
-- child (parent_id); presenting a revoked one again revokes the whole session.
create table if not exists public.auth_refresh_tokens (
  id bigint generated always as identity primary key,
  session_id uuid not null references public.auth_sessions (id) on delete cascade,
  token_hash text not null unique,
  parent_id bigint,
  revoked boolean not null default false,
  created_at timestamptz not null default now()
);
-- wabase:converge public.auth_refresh_tokens: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.auth_refresh_tokens
  add column if not exists id bigint generated always as identity primary key,
  add column if not exists session_id uuid not null references public.auth_sessions (id) on delete cascade,
  add column if not exists token_hash text not null unique,
  add column if not exists parent_id bigint,
  add column if not exists revoked boolean not null default false,
  add column if not exists created_at timestamptz not null default now();
alter table public.auth_refresh_tokens
  alter column session_id set not null,
  alter column token_hash set not null,
  alter column parent_id drop not null,
  alter column revoked set not null,
  alter column revoked set default false,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.auth_refresh_tokens'::regclass and conname = 'auth_refresh_tokens_session_id_fkey') then
    alter table public.auth_refresh_tokens add constraint auth_refresh_tokens_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.auth_sessions(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.auth_refresh_tokens'::regclass and conname = 'auth_refresh_tokens_token_hash_key') then
    alter table public.auth_refresh_tokens add constraint auth_refresh_tokens_token_hash_key UNIQUE (token_hash);
  end if;
end
$$;
-- wabase:end-converge
create index if not exists auth_refresh_tokens_session_idx on public.auth_refresh_tokens (session_id);

-- First-run links printed by `npm start` (sha256 of the token); single use, a newer one supersedes.
create table if not exists public.auth_setup_links (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
-- wabase:converge public.auth_setup_links: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.auth_setup_links
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists token_hash text not null unique,
  add column if not exists expires_at timestamptz not null,
  add column if not exists used_at timestamptz,
  add column if not exists created_at timestamptz not null default now();
alter table public.auth_setup_links
  alter column id set default gen_random_uuid(),
  alter column token_hash set not null,
  alter column expires_at set not null,
  alter column used_at drop not null,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.auth_setup_links'::regclass and conname = 'auth_setup_links_token_hash_key') then
    alter table public.auth_setup_links add constraint auth_setup_links_token_hash_key UNIQUE (token_hash);
  end if;
end
$$;
-- wabase:end-converge

-- OAuth sign-in in flight (Google): PKCE verifier, nonce and where to go after, keyed by the
-- sha256 of the state and bound to the browser that started it; single use, short-lived.
create table if not exists public.auth_oauth_states (
  id uuid primary key default gen_random_uuid(),
  state_hash text not null unique,
  browser_hash text not null,
  provider text not null,
  code_verifier text not null,
  nonce text not null,
  redirect_uri text not null,
  redirect_to text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
-- wabase:converge public.auth_oauth_states: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.auth_oauth_states
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists state_hash text not null unique,
  add column if not exists browser_hash text not null,
  add column if not exists provider text not null,
  add column if not exists code_verifier text not null,
  add column if not exists nonce text not null,
  add column if not exists redirect_uri text not null,
  add column if not exists redirect_to text not null,
  add column if not exists expires_at timestamptz not null,
  add column if not exists created_at timestamptz not null default now();
alter table public.auth_oauth_states
  alter column id set default gen_random_uuid(),
  alter column state_hash set not null,
  alter column browser_hash set not null,
  alter column provider set not null,
  alter column code_verifier set not null,
  alter column nonce set not null,
  alter column redirect_uri set not null,
  alter column redirect_to set not null,
  alter column expires_at set not null,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.auth_oauth_states'::regclass and conname = 'auth_oauth_states_state_hash_key') then
    alter table public.auth_oauth_states add constraint auth_oauth_states_state_hash_key UNIQUE (state_hash);
  end if;
end
$$;
-- wabase:end-converge
create index if not exists auth_oauth_states_expires_idx on public.auth_oauth_states (expires_at);

-- Server tables: RLS on with no policy, and nothing for the Supabase anon key or signed-in users.
alter table public.auth_sessions enable row level security;
alter table public.auth_refresh_tokens enable row level security;
alter table public.auth_setup_links enable row level security;
alter table public.auth_oauth_states enable row level security;
revoke all on public.auth_sessions from anon, authenticated;
revoke all on public.auth_refresh_tokens from anon, authenticated;
revoke all on public.auth_setup_links from anon, authenticated;
revoke all on public.auth_oauth_states from anon, authenticated;
