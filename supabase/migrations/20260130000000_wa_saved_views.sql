-- Seed 000: saved views for the inbox, exactly as the seed defines them, made idempotent.
create table if not exists public.wa_saved_views (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  name text not null,
  filters jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, user_id, name)
);
-- wabase:converge public.wa_saved_views: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_saved_views
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists user_id uuid not null references auth.users (id) on delete cascade,
  add column if not exists name text not null,
  add column if not exists filters jsonb not null default '{}'::jsonb,
  add column if not exists created_at timestamptz not null default now(),
  add column if not exists updated_at timestamptz not null default now();
alter table public.wa_saved_views
  alter column id set default gen_random_uuid(),
  alter column workspace_id set not null,
  alter column user_id set not null,
  alter column name set not null,
  alter column filters set not null,
  alter column filters set default '{}'::jsonb,
  alter column created_at set not null,
  alter column created_at set default now(),
  alter column updated_at set not null,
  alter column updated_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_saved_views'::regclass and conname = 'wa_saved_views_workspace_id_user_id_name_key') then
    alter table public.wa_saved_views add constraint wa_saved_views_workspace_id_user_id_name_key UNIQUE (workspace_id, user_id, name);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_saved_views'::regclass and conname = 'wa_saved_views_workspace_id_fkey') then
    alter table public.wa_saved_views add constraint wa_saved_views_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_saved_views'::regclass and conname = 'wa_saved_views_user_id_fkey') then
    alter table public.wa_saved_views add constraint wa_saved_views_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
  end if;
end
$$;
-- wabase:end-converge

create index if not exists wa_saved_views_user_idx on public.wa_saved_views (user_id);
create index if not exists wa_saved_views_workspace_idx on public.wa_saved_views (workspace_id);

alter table public.wa_saved_views enable row level security;
drop policy if exists "users_access_own_saved_views" on public.wa_saved_views;
create policy "users_access_own_saved_views"
on public.wa_saved_views
for all
using (
  user_id = auth.uid()
  and workspace_id in (
    select workspace_id
    from public.workspace_memberships
    where user_id = auth.uid()
  )
);
