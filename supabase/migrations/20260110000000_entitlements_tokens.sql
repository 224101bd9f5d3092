-- Entitlements and token balances (seed 000, ops console). Written so that it also runs on a
-- database holding the legacy shapes: a workspace_entitlements table with is_enabled/is_active
-- instead of enabled, or without payload; the value column is reconciled by
-- 20260120000000_fix_entitlements_value_column.

create table if not exists public.workspace_entitlements (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  key text not null,
  enabled boolean not null default false,
  payload jsonb not null default '{}'::jsonb,
  value jsonb default '{}'::jsonb,
  expires_at timestamptz,
  reason text,
  updated_by uuid,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, key)
);
-- wabase:converge public.workspace_entitlements: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.workspace_entitlements
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists key text not null;
alter table public.workspace_entitlements
  alter column workspace_id set not null,
  alter column key set not null;
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.workspace_entitlements'::regclass and conname = 'workspace_entitlements_workspace_id_fkey') then
    alter table public.workspace_entitlements add constraint workspace_entitlements_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
end
$$;
-- wabase:end-converge

-- Legacy names of the enabled flag.
do $$
declare
  legacy text;
begin
  foreach legacy in array array['is_enabled', 'is_active'] loop
    if exists (select 1 from information_schema.columns c
               where c.table_schema = 'public' and c.table_name = 'workspace_entitlements' and c.column_name = legacy)
       and not exists (select 1 from information_schema.columns c
               where c.table_schema = 'public' and c.table_name = 'workspace_entitlements' and c.column_name = 'enabled') then
      execute format('alter table public.workspace_entitlements rename column %I to enabled', legacy);
    end if;
  end loop;
end
$$;

alter table public.workspace_entitlements add column if not exists enabled boolean not null default false;
alter table public.workspace_entitlements add column if not exists payload jsonb not null default '{}'::jsonb;
alter table public.workspace_entitlements add column if not exists expires_at timestamptz;
alter table public.workspace_entitlements add column if not exists reason text;
alter table public.workspace_entitlements add column if not exists updated_by uuid;
alter table public.workspace_entitlements add column if not exists updated_at timestamptz not null default now();
alter table public.workspace_entitlements enable row level security;

drop policy if exists workspace_entitlements_member_read on public.workspace_entitlements;
create policy workspace_entitlements_member_read on public.workspace_entitlements
  for select to authenticated
  using (public.is_workspace_member(workspace_id));

create table if not exists public.workspace_token_balance (
  workspace_id uuid primary key references public.workspaces (id) on delete cascade,
  balance bigint not null default 0 check (balance >= 0),
  updated_at timestamptz not null default now()
);
-- wabase:converge public.workspace_token_balance: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.workspace_token_balance
  add column if not exists workspace_id uuid primary key references public.workspaces (id) on delete cascade,
  add column if not exists balance bigint not null default 0 check (balance >= 0),
  add column if not exists updated_at timestamptz not null default now();
alter table public.workspace_token_balance
  alter column balance set not null,
  alter column balance set default 0,
  alter column updated_at set not null,
  alter column updated_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.workspace_token_balance'::regclass and conname = 'workspace_token_balance_workspace_id_fkey') then
    alter table public.workspace_token_balance add constraint workspace_token_balance_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.workspace_token_balance'::regclass and conname = 'workspace_token_balance_balance_check') then
    alter table public.workspace_token_balance add constraint workspace_token_balance_balance_check CHECK ((balance >= 0));
  end if;
end
$$;
-- wabase:end-converge
alter table public.workspace_token_balance enable row level security;

drop policy if exists workspace_token_balance_member_read on public.workspace_token_balance;
create policy workspace_token_balance_member_read on public.workspace_token_balance
  for select to authenticated
  using (public.is_workspace_member(workspace_id));

create table if not exists public.workspace_token_ledger (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  delta bigint not null check (delta <> 0),
  reason text not null,
  ref_type text not null default 'adjustment',
  ref_id text,
  balance_after bigint not null,
  created_by uuid,
  created_at timestamptz not null default now()
);
-- wabase:converge public.workspace_token_ledger: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.workspace_token_ledger
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists delta bigint not null check (delta <> 0),
  add column if not exists reason text not null,
  add column if not exists ref_type text not null default 'adjustment',
  add column if not exists ref_id text,
  add column if not exists balance_after bigint not null,
  add column if not exists created_by uuid,
  add column if not exists created_at timestamptz not null default now();
alter table public.workspace_token_ledger
  alter column id set default gen_random_uuid(),
  alter column workspace_id set not null,
  alter column delta set not null,
  alter column reason set not null,
  alter column ref_type set not null,
  alter column ref_type set default 'adjustment'::text,
  alter column ref_id drop not null,
  alter column balance_after set not null,
  alter column created_by drop not null,
  alter column created_at set not null,
  alter column created_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.workspace_token_ledger'::regclass and conname = 'workspace_token_ledger_workspace_id_fkey') then
    alter table public.workspace_token_ledger add constraint workspace_token_ledger_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.workspace_token_ledger'::regclass and conname = 'workspace_token_ledger_delta_check') then
    alter table public.workspace_token_ledger add constraint workspace_token_ledger_delta_check CHECK ((delta <> 0));
  end if;
end
$$;
-- wabase:end-converge
create unique index if not exists workspace_token_ledger_ref_key
  on public.workspace_token_ledger (workspace_id, ref_id) where ref_id is not null;
create index if not exists workspace_token_ledger_workspace_created_idx
  on public.workspace_token_ledger (workspace_id, created_at desc);
alter table public.workspace_token_ledger enable row level security;

drop policy if exists workspace_token_ledger_member_read on public.workspace_token_ledger;
create policy workspace_token_ledger_member_read on public.workspace_token_ledger
  for select to authenticated
  using (public.is_workspace_member(workspace_id));

-- Adds p_delta tokens (negative: deducts) with a ledger row, atomically. A replay with the same
-- reference id changes nothing and answers applied = false. Never lets the balance go below zero.
create or replace function public.apply_workspace_token_delta(
  p_workspace_id uuid,
  p_delta bigint,
  p_reason text,
  p_ref_type text default 'adjustment',
  p_ref_id text default null,
  p_actor uuid default null
)
returns table (applied boolean, ledger_id uuid, balance bigint)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_ref text := nullif(btrim(p_ref_id), '');
  v_balance bigint;
  v_ledger uuid;
begin
  perform public.assert_ops_caller();
  if p_delta is null or p_delta = 0 then
    raise exception using errcode = '22023', message = 'delta_must_not_be_zero';
  end if;
  if p_reason is null or btrim(p_reason) = '' then
    raise exception using errcode = '22023', message = 'reason_required';
  end if;
  if not exists (select 1 from public.workspaces w where w.id = p_workspace_id) then
    raise exception using errcode = 'P0002', message = 'workspace_not_found';
  end if;

  insert into public.workspace_token_balance as b (workspace_id, balance)
  values (p_workspace_id, 0)
  on conflict (workspace_id) do nothing;
  -- The balance row lock serialises every delta of the workspace, replays included.
  select b.balance into v_balance
  from public.workspace_token_balance b
  where b.workspace_id = p_workspace_id
  for update;

  if v_ref is not null then
    select l.id into v_ledger
    from public.workspace_token_ledger l
    where l.workspace_id = p_workspace_id and l.ref_id = v_ref;
    if found then
      return query select false, v_ledger, v_balance;
      return;
    end if;
  end if;

  if v_balance + p_delta < 0 then
    raise exception using errcode = 'P0001', message = 'insufficient_balance',
      detail = format('balance %s, delta %s', v_balance, p_delta);
  end if;

  update public.workspace_token_balance b
  set balance = b.balance + p_delta, updated_at = now()
  where b.workspace_id = p_workspace_id
  returning b.balance into v_balance;

  insert into public.workspace_token_ledger (workspace_id, delta, reason, ref_type, ref_id, balance_after, created_by)
  values (p_workspace_id, p_delta, btrim(p_reason), coalesce(p_ref_type, 'adjustment'), v_ref, v_balance, coalesce(p_actor, auth.uid()))
  returning id into v_ledger;

  return query select true, v_ledger, v_balance;
end
$$;

-- Upserts one entitlement with its payload; a null, empty or JSON-null payload is stored as {}.
create or replace function public.set_workspace_entitlement_payload(
  p_workspace_id uuid,
  p_key text,
  p_enabled boolean,
  p_payload jsonb,
  p_expires_at timestamptz default null,
  p_reason text default null
)
returns table (
  workspace_id uuid, key text, enabled boolean, payload jsonb,
  expires_at timestamptz, reason text, updated_by uuid, updated_at timestamptz
)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_payload jsonb := p_payload;
begin
  perform public.assert_ops_caller();
  if v_payload is null or v_payload = 'null'::jsonb or v_payload = '""'::jsonb then
    v_payload := '{}'::jsonb;
  end if;
  if jsonb_typeof(v_payload) <> 'object' then
    raise exception using errcode = '22023', message = 'payload_must_be_object';
  end if;
  if p_key is null or p_key !~ '^[a-z0-9_]{2,120}$' then
    raise exception using errcode = '22023', message = 'invalid_entitlement_key';
  end if;
  if not exists (select 1 from public.workspaces w where w.id = p_workspace_id) then
    raise exception using errcode = 'P0002', message = 'workspace_not_found';
  end if;

  insert into public.workspace_entitlements as we
    (workspace_id, key, enabled, payload, expires_at, reason, updated_by, updated_at)
  values (p_workspace_id, p_key, coalesce(p_enabled, false), v_payload, p_expires_at, p_reason, auth.uid(), now())
  on conflict (workspace_id, key) do update
    set enabled = excluded.enabled,
        payload = excluded.payload,
        expires_at = excluded.expires_at,
        reason = excluded.reason,
        updated_by = excluded.updated_by,
        updated_at = excluded.updated_at;

  return query
    select we.workspace_id, we.key, we.enabled, we.payload, we.expires_at, we.reason, we.updated_by, we.updated_at
    from public.workspace_entitlements we
    where we.workspace_id = p_workspace_id and we.key = p_key;
end
$$;

-- Enables or disables an entitlement by workspace slug, keeping its payload ({} when new).
create or replace function public.set_workspace_entitlement(
  p_workspace_slug text,
  p_key text,
  p_enabled boolean,
  p_expires_at timestamptz default null,
  p_reason text default null
)
returns table (
  workspace_id uuid, key text, enabled boolean, payload jsonb,
  expires_at timestamptz, reason text, updated_by uuid, updated_at timestamptz
)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_workspace uuid;
  v_payload jsonb;
begin
  perform public.assert_ops_caller();
  select w.id into v_workspace from public.workspaces w where lower(w.slug) = lower(p_workspace_slug);
  if v_workspace is null then
    raise exception using errcode = 'P0002', message = 'workspace_not_found';
  end if;
  select we.payload into v_payload
  from public.workspace_entitlements we
  where we.workspace_id = v_workspace and we.key = p_key;
  return query
    select * from public.set_workspace_entitlement_payload(v_workspace, p_key, p_enabled, v_payload, p_expires_at, p_reason);
end
$$;
