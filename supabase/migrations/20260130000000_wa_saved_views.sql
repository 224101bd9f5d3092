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
