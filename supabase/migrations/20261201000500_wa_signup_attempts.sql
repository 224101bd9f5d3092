-- Connecting WhatsApp numbers (issue 13): Meta Embedded Signup attempts.

-- One Embedded Signup in flight: the state the browser carries (only its sha256 is kept), bound to
-- the user and workspace that started it, and how far the steps got (code exchange, subscribe the
-- app to the WABA, register the number, read its details, store the connection), so a retry
-- resumes at the step that failed. The business token is AES-256-GCM ciphertext, cleared once the
-- connection holds it. Server-only: RLS on, no policy, nothing granted to anon or authenticated.
create table if not exists public.wa_signup_attempts (
  id uuid primary key default gen_random_uuid(),
  state_hash text not null unique,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  -- The next step to run; 'done' once the connection is stored.
  step text not null default 'exchange'
    check (step in ('exchange', 'subscribe', 'register', 'details', 'store', 'done')),
  waba_id text,
  phone_number_id text,
  access_token_enc text,
  display_phone_number text,
  verified_name text,
  connection_id uuid references public.wa_phone_numbers (id) on delete set null,
  -- Where the redirect flow's callback sends the browser back to (a same-origin path).
  return_to text not null default '/',
  -- The last failure: {step, code, metaCode, message}; null after a step succeeds.
  last_error jsonb,
  -- A completion request holds the attempt until then, so a double submit cannot run a step twice.
  locked_until timestamptz,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz
);
-- wabase:converge public.wa_signup_attempts: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_signup_attempts
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists state_hash text not null unique,
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists user_id uuid not null references auth.users (id) on delete cascade,
  add column if not exists step text not null default 'exchange' check (step in ('exchange', 'subscribe', 'register', 'details', 'store', 'done')),
  add column if not exists waba_id text,
  add column if not exists phone_number_id text,
  add column if not exists access_token_enc text,
  add column if not exists display_phone_number text,
  add column if not exists verified_name text,
  add column if not exists connection_id uuid references public.wa_phone_numbers (id) on delete set null,
  add column if not exists return_to text not null default '/',
  add column if not exists last_error jsonb,
  add column if not exists locked_until timestamptz,
  add column if not exists expires_at timestamptz not null,
  add column if not exists created_at timestamptz not null default now(),
  add column if not exists updated_at timestamptz not null default now(),
  add column if not exists completed_at timestamptz;
alter table public.wa_signup_attempts
  alter column id set default gen_random_uuid(),
  alter column state_hash set not null,
  alter column workspace_id set not null,
  alter column user_id set not null,
  alter column step set not null,
  alter column step set default 'exchange'::text,
  alter column waba_id drop not null,
  alter column phone_number_id drop not null,
  alter column access_token_enc drop not null,
  alter column display_phone_number drop not null,
  alter column verified_name drop not null,
  alter column connection_id drop not null,
  alter column return_to set not null,
  alter column return_to set default '/'::text,
  alter column last_error drop not null,
  alter column locked_until drop not null,
  alter column expires_at set not null,
  alter column created_at set not null,
  alter column created_at set default now(),
  alter column updated_at set not null,
  alter column updated_at set default now(),
  alter column completed_at drop not null;
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_signup_attempts'::regclass and conname = 'wa_signup_attempts_state_hash_key') then
    alter table public.wa_signup_attempts add constraint wa_signup_attempts_state_hash_key UNIQUE (state_hash);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_signup_attempts'::regclass and conname = 'wa_signup_attempts_workspace_id_fkey') then
    alter table public.wa_signup_attempts add constraint wa_signup_attempts_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_signup_attempts'::regclass and conname = 'wa_signup_attempts_user_id_fkey') then
    alter table public.wa_signup_attempts add constraint wa_signup_attempts_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_signup_attempts'::regclass and conname = 'wa_signup_attempts_step_check') then
    alter table public.wa_signup_attempts add constraint wa_signup_attempts_step_check CHECK ((step = ANY (ARRAY['exchange'::text, 'subscribe'::text, 'register'::text, 'details'::text, 'store'::text, 'done'::text])));
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_signup_attempts'::regclass and conname = 'wa_signup_attempts_connection_id_fkey') then
    alter table public.wa_signup_attempts add constraint wa_signup_attempts_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES public.wa_phone_numbers(id) ON DELETE SET NULL;
  end if;
end
$$;
-- wabase:end-converge
create index if not exists wa_signup_attempts_expires_idx on public.wa_signup_attempts (expires_at);
create index if not exists wa_signup_attempts_workspace_idx on public.wa_signup_attempts (workspace_id, created_at desc);
alter table public.wa_signup_attempts enable row level security;
revoke all on public.wa_signup_attempts from anon, authenticated;
