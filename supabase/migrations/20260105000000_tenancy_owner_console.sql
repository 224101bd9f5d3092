-- Tenancy (workspaces, memberships) and the owner console (platform admins, owner members, audit).

create table if not exists public.workspaces (
  id uuid primary key default gen_random_uuid(),
  slug text not null,
  name text not null,
  status text not null default 'active' check (status in ('active', 'suspended')),
  created_at timestamptz not null default now()
);
-- wabase:converge public.workspaces: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.workspaces
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists slug text not null,
  add column if not exists name text not null,
  add column if not exists status text not null default 'active' check (status in ('active', 'suspended')),
  add column if not exists created_at timestamptz not null default now();
alter table public.workspaces
  alter column id set default gen_random_uuid(),
  alter column slug set not null,
  alter column name set not null,
  alter column status set not null,
  alter column status set default 'active'::text,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.workspaces'::regclass and conname = 'workspaces_status_check') then
    alter table public.workspaces add constraint workspaces_status_check CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text])));
  end if;
end
$$;
-- wabase:end-converge
create unique index if not exists workspaces_slug_key on public.workspaces (lower(slug));
create index if not exists workspaces_name_trgm_idx on public.workspaces using gin (name gin_trgm_ops);
alter table public.workspaces enable row level security;

create table if not exists public.workspace_memberships (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member', 'agent', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
-- wabase:converge public.workspace_memberships: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.workspace_memberships
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists user_id uuid not null references auth.users (id) on delete cascade,
  add column if not exists role text not null default 'member' check (role in ('owner', 'admin', 'member', 'agent', 'viewer')),
  add column if not exists created_at timestamptz not null default now();
alter table public.workspace_memberships
  alter column workspace_id set not null,
  alter column user_id set not null,
  alter column role set not null,
  alter column role set default 'member'::text,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.workspace_memberships'::regclass and conname = 'workspace_memberships_workspace_id_fkey') then
    alter table public.workspace_memberships add constraint workspace_memberships_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.workspace_memberships'::regclass and conname = 'workspace_memberships_user_id_fkey') then
    alter table public.workspace_memberships add constraint workspace_memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.workspace_memberships'::regclass and conname = 'workspace_memberships_role_check') then
    alter table public.workspace_memberships add constraint workspace_memberships_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'member'::text, 'agent'::text, 'viewer'::text])));
  end if;
end
$$;
-- wabase:end-converge
create index if not exists workspace_memberships_user_idx on public.workspace_memberships (user_id);
alter table public.workspace_memberships enable row level security;

-- Membership test for policies. Security definer so a policy on memberships can use it without
-- recursing into its own RLS; it only ever answers for the caller (auth.uid()).
create or replace function public.is_workspace_member(p_workspace_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.workspace_memberships m
    where m.workspace_id = p_workspace_id and m.user_id = auth.uid()
  )
$$;

drop policy if exists workspaces_member_read on public.workspaces;
create policy workspaces_member_read on public.workspaces
  for select to authenticated
  using (public.is_workspace_member(id));

drop policy if exists workspace_memberships_member_read on public.workspace_memberships;
create policy workspace_memberships_member_read on public.workspace_memberships
  for select to authenticated
  using (user_id = auth.uid() or public.is_workspace_member(workspace_id));

-- Platform admins: the app also requires the email on OPS_ADMIN_EMAILS (seed 000: both).
create table if not exists public.platform_admins (
  user_id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  created_at timestamptz not null default now(),
  created_by uuid
);
-- wabase:converge public.platform_admins: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.platform_admins
  add column if not exists user_id uuid primary key references auth.users (id) on delete cascade,
  add column if not exists email text not null,
  add column if not exists created_at timestamptz not null default now(),
  add column if not exists created_by uuid;
alter table public.platform_admins
  alter column email set not null,
  alter column created_at set not null,
  alter column created_at set default now(),
  alter column created_by drop not null;
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.platform_admins'::regclass and conname = 'platform_admins_user_id_fkey') then
    alter table public.platform_admins add constraint platform_admins_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
  end if;
end
$$;
-- wabase:end-converge
alter table public.platform_admins enable row level security;

create table if not exists public.owner_members (
  user_id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  role text not null default 'owner' check (role in ('owner', 'ops', 'viewer')),
  active boolean not null default true,
  created_at timestamptz not null default now()
);
-- wabase:converge public.owner_members: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.owner_members
  add column if not exists user_id uuid primary key references auth.users (id) on delete cascade,
  add column if not exists email text not null,
  add column if not exists role text not null default 'owner' check (role in ('owner', 'ops', 'viewer')),
  add column if not exists active boolean not null default true,
  add column if not exists created_at timestamptz not null default now();
alter table public.owner_members
  alter column email set not null,
  alter column role set not null,
  alter column role set default 'owner'::text,
  alter column active set not null,
  alter column active set default true,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.owner_members'::regclass and conname = 'owner_members_user_id_fkey') then
    alter table public.owner_members add constraint owner_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.owner_members'::regclass and conname = 'owner_members_role_check') then
    alter table public.owner_members add constraint owner_members_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'ops'::text, 'viewer'::text])));
  end if;
end
$$;
-- wabase:end-converge
alter table public.owner_members enable row level security;

create table if not exists public.owner_audit_log (
  id uuid primary key default gen_random_uuid(),
  action text not null,
  actor_user_id uuid,
  actor_email text,
  workspace_id uuid references public.workspaces (id) on delete set null,
  target_table text,
  target_id text,
  before_data jsonb,
  after_data jsonb,
  meta jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
-- wabase:converge public.owner_audit_log: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.owner_audit_log
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists action text not null,
  add column if not exists actor_user_id uuid,
  add column if not exists actor_email text,
  add column if not exists workspace_id uuid references public.workspaces (id) on delete set null,
  add column if not exists target_table text,
  add column if not exists target_id text,
  add column if not exists before_data jsonb,
  add column if not exists after_data jsonb,
  add column if not exists meta jsonb not null default '{}'::jsonb,
  add column if not exists created_at timestamptz not null default now();
alter table public.owner_audit_log
  alter column id set default gen_random_uuid(),
  alter column action set not null,
  alter column actor_user_id drop not null,
  alter column actor_email drop not null,
  alter column workspace_id drop not null,
  alter column target_table drop not null,
  alter column target_id drop not null,
  alter column before_data drop not null,
  alter column after_data drop not null,
  alter column meta set not null,
  alter column meta set default '{}'::jsonb,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.owner_audit_log'::regclass and conname = 'owner_audit_log_workspace_id_fkey') then
    alter table public.owner_audit_log add constraint owner_audit_log_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE SET NULL;
  end if;
end
$$;
-- wabase:end-converge
create index if not exists owner_audit_log_workspace_created_idx on public.owner_audit_log (workspace_id, created_at desc);
create index if not exists owner_audit_log_action_idx on public.owner_audit_log (action);
alter table public.owner_audit_log enable row level security;

-- Who may run the ops functions (token deltas, entitlements): a platform admin (by auth.uid()),
-- the service_role, or a trusted server connection that carries no JWT claims at all.
-- Anyone else, anon and ordinary users included, gets not_platform_admin.
create or replace function public.assert_ops_caller()
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_claims text := nullif(current_setting('request.jwt.claims', true), '');
begin
  if v_claims is null or v_claims = '{}' then
    return;
  end if;
  if auth.role() = 'service_role' then
    return;
  end if;
  if auth.uid() is not null and exists (select 1 from public.platform_admins pa where pa.user_id = auth.uid()) then
    return;
  end if;
  raise exception using errcode = '42501', message = 'not_platform_admin',
    detail = 'only platform admins, the service role or a trusted server may do this';
end
$$;
