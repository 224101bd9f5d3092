-- Issue 17: what the Cloud API tells an inbox beyond text. Quoted replies (`context`), reactions
-- attached to the message they react to, pricing and conversation objects of status webhooks kept
-- verbatim, business-scoped user ids (BSUID) of username users, per-workspace settings (read
-- receipts), and the WABA's message templates.

-- A username user may write with a BSUID and no phone number (`from_user_id`, `contacts[].user_id`):
-- the thread is keyed on it then, and linked to it when a later message carries both.
alter table public.wa_threads add column if not exists contact_user_id text;

alter table public.wa_messages
  -- The wamid a reply quotes (`context.id`); the inbox shows the quoted message.
  add column if not exists context_wa_message_id text,
  -- The newest `pricing` and `conversation` objects of the message's status webhooks, as Meta sent
  -- them (no price is computed here: rate cards apply separately).
  add column if not exists pricing jsonb,
  add column if not exists conversation jsonb;

-- Statuses that wait for their wamid keep pricing too (record_outbox_sent applies it).
alter table public.meta_pending_statuses
  add column if not exists pricing jsonb,
  add column if not exists conversation jsonb;

-- One reaction per side per message (WhatsApp keeps one per person): the customer's (in) and the
-- business's (out). An empty emoji removes it, so no row means no reaction.
create table if not exists public.wa_message_reactions (
  message_id uuid not null references public.wa_messages (id) on delete cascade,
  direction text not null check (direction in ('in', 'out')),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  thread_id uuid not null references public.wa_threads (id) on delete cascade,
  emoji text not null,
  -- The reaction message's own wamid (inbound) or null (outbound, until sent).
  wa_message_id text,
  reacted_at timestamptz not null default now(),
  primary key (message_id, direction)
);
-- wabase:converge public.wa_message_reactions: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_message_reactions
  add column if not exists message_id uuid not null references public.wa_messages (id) on delete cascade,
  add column if not exists direction text not null check (direction in ('in', 'out')),
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists thread_id uuid not null references public.wa_threads (id) on delete cascade,
  add column if not exists emoji text not null,
  add column if not exists wa_message_id text,
  add column if not exists reacted_at timestamptz not null default now();
alter table public.wa_message_reactions
  alter column message_id set not null,
  alter column direction set not null,
  alter column workspace_id set not null,
  alter column thread_id set not null,
  alter column emoji set not null,
  alter column wa_message_id drop not null,
  alter column reacted_at set not null,
  alter column reacted_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_message_reactions'::regclass and contype = 'p') then
    alter table public.wa_message_reactions add constraint wa_message_reactions_pkey PRIMARY KEY (message_id, direction);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_message_reactions'::regclass and conname = 'wa_message_reactions_direction_check') then
    alter table public.wa_message_reactions add constraint wa_message_reactions_direction_check CHECK ((direction = ANY (ARRAY['in'::text, 'out'::text])));
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_message_reactions'::regclass and conname = 'wa_message_reactions_message_id_fkey') then
    alter table public.wa_message_reactions add constraint wa_message_reactions_message_id_fkey FOREIGN KEY (message_id) REFERENCES public.wa_messages(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_message_reactions'::regclass and conname = 'wa_message_reactions_workspace_id_fkey') then
    alter table public.wa_message_reactions add constraint wa_message_reactions_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_message_reactions'::regclass and conname = 'wa_message_reactions_thread_id_fkey') then
    alter table public.wa_message_reactions add constraint wa_message_reactions_thread_id_fkey FOREIGN KEY (thread_id) REFERENCES public.wa_threads(id) ON DELETE CASCADE;
  end if;
end
$$;
-- wabase:end-converge
create index if not exists wa_message_reactions_thread_idx on public.wa_message_reactions (thread_id);
alter table public.wa_message_reactions enable row level security;
drop policy if exists wa_message_reactions_member_read on public.wa_message_reactions;
create policy wa_message_reactions_member_read on public.wa_message_reactions
  for select to authenticated
  using (workspace_id in (select public.my_workspace_ids()));
revoke insert, update, delete, truncate on public.wa_message_reactions from anon, authenticated;
grant select on public.wa_message_reactions to authenticated;

-- A reaction changes how its message looks: the inbox re-reads that thread.
create or replace function public.notify_wa_message_reactions_changed()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('wabase_hub_events', json_build_object(
    'kind', 'message.status', 'workspaceId', r.workspace_id, 'threadId', r.thread_id, 'messageId', r.message_id, 'at', now())::text)
  from (select distinct c.workspace_id, c.thread_id, c.message_id from changed c) r;
  return null;
end;
$$;
revoke all on function public.notify_wa_message_reactions_changed() from public, anon, authenticated;
drop trigger if exists wa_message_reactions_notify_insert on public.wa_message_reactions;
create trigger wa_message_reactions_notify_insert
  after insert on public.wa_message_reactions referencing new table as changed
  for each statement execute function public.notify_wa_message_reactions_changed();
drop trigger if exists wa_message_reactions_notify_update on public.wa_message_reactions;
create trigger wa_message_reactions_notify_update
  after update on public.wa_message_reactions referencing new table as changed
  for each statement execute function public.notify_wa_message_reactions_changed();
drop trigger if exists wa_message_reactions_notify_delete on public.wa_message_reactions;
create trigger wa_message_reactions_notify_delete
  after delete on public.wa_message_reactions referencing old table as changed
  for each statement execute function public.notify_wa_message_reactions_changed();

-- Per-workspace Meta Hub settings. No row: the defaults.
create table if not exists public.wa_workspace_settings (
  workspace_id uuid primary key references public.workspaces (id) on delete cascade,
  -- Mark the newest inbound message read at Meta when an agent opens the thread.
  read_receipts boolean not null default true,
  updated_by uuid,
  updated_at timestamptz not null default now()
);
-- wabase:converge public.wa_workspace_settings: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_workspace_settings
  add column if not exists workspace_id uuid primary key references public.workspaces (id) on delete cascade,
  add column if not exists read_receipts boolean not null default true,
  add column if not exists updated_by uuid,
  add column if not exists updated_at timestamptz not null default now();
alter table public.wa_workspace_settings
  alter column workspace_id set not null,
  alter column read_receipts set not null,
  alter column read_receipts set default true,
  alter column updated_by drop not null,
  alter column updated_at set not null,
  alter column updated_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_workspace_settings'::regclass and contype = 'p') then
    alter table public.wa_workspace_settings add constraint wa_workspace_settings_pkey PRIMARY KEY (workspace_id);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_workspace_settings'::regclass and conname = 'wa_workspace_settings_workspace_id_fkey') then
    alter table public.wa_workspace_settings add constraint wa_workspace_settings_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
end
$$;
-- wabase:end-converge
alter table public.wa_workspace_settings enable row level security;
drop policy if exists wa_workspace_settings_member_read on public.wa_workspace_settings;
create policy wa_workspace_settings_member_read on public.wa_workspace_settings
  for select to authenticated
  using (workspace_id in (select public.my_workspace_ids()));
revoke insert, update, delete, truncate on public.wa_workspace_settings from anon, authenticated;
grant select on public.wa_workspace_settings to authenticated;

-- A WABA's message templates (GET /{waba_id}/message_templates), per workspace that has a number
-- on that WABA; kept current by `wabase templates sync`, the worker's schedule and the
-- message_template_status/quality/category webhooks. `event_at`: the newest webhook applied
-- (an older one, re-delivered late, never moves a template back).
create table if not exists public.wa_message_templates (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  waba_id text not null,
  meta_template_id text,
  name text not null,
  language text not null,
  category text,
  status text not null,
  components jsonb not null default '[]'::jsonb,
  quality text,
  reason text,
  event_at timestamptz,
  synced_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, waba_id, name, language)
);
-- wabase:converge public.wa_message_templates: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_message_templates
  add column if not exists id uuid primary key default gen_random_uuid(),
  add column if not exists workspace_id uuid not null references public.workspaces (id) on delete cascade,
  add column if not exists waba_id text not null,
  add column if not exists meta_template_id text,
  add column if not exists name text not null,
  add column if not exists language text not null,
  add column if not exists category text,
  add column if not exists status text not null,
  add column if not exists components jsonb not null default '[]'::jsonb,
  add column if not exists quality text,
  add column if not exists reason text,
  add column if not exists event_at timestamptz,
  add column if not exists synced_at timestamptz,
  add column if not exists created_at timestamptz not null default now(),
  add column if not exists updated_at timestamptz not null default now();
alter table public.wa_message_templates
  alter column id set default gen_random_uuid(),
  alter column workspace_id set not null,
  alter column waba_id set not null,
  alter column meta_template_id drop not null,
  alter column name set not null,
  alter column language set not null,
  alter column category drop not null,
  alter column status set not null,
  alter column components set not null,
  alter column components set default '[]'::jsonb,
  alter column quality drop not null,
  alter column reason drop not null,
  alter column event_at drop not null,
  alter column synced_at drop not null,
  alter column created_at set not null,
  alter column created_at set default now(),
  alter column updated_at set not null,
  alter column updated_at set default now();
do $$
begin
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_message_templates'::regclass and contype = 'p') then
    alter table public.wa_message_templates add constraint wa_message_templates_pkey PRIMARY KEY (id);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_message_templates'::regclass and conname = 'wa_message_templates_workspace_id_waba_id_name_language_key') then
    alter table public.wa_message_templates add constraint wa_message_templates_workspace_id_waba_id_name_language_key UNIQUE (workspace_id, waba_id, name, language);
  end if;
  if not exists (select 1 from pg_constraint where conrelid = 'public.wa_message_templates'::regclass and conname = 'wa_message_templates_workspace_id_fkey') then
    alter table public.wa_message_templates add constraint wa_message_templates_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;
  end if;
end
$$;
-- wabase:end-converge
alter table public.wa_message_templates enable row level security;
drop policy if exists wa_message_templates_member_read on public.wa_message_templates;
create policy wa_message_templates_member_read on public.wa_message_templates
  for select to authenticated
  using (workspace_id in (select public.my_workspace_ids()));
revoke insert, update, delete, truncate on public.wa_message_templates from anon, authenticated;
grant select on public.wa_message_templates to authenticated;
