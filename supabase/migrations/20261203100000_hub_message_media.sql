-- Issue 17, media on the Cloud API inbox. One row per inbox message that carries media, inbound
-- or outbound: for an inbound one it is also the archive job the worker runs (Meta's media id is
-- resolved and downloaded promptly, as media ids in webhooks expire after 7 days); for an
-- outbound one it holds the stored file and, once the worker uploaded it, Meta's media id.
-- The bytes are the group monitor's archive: one public.media row and one object per sha256 in the
-- private bucket; the fields a message shows (hash, type, size, object path) are copied here so a
-- member's read stays under this table's RLS (public.media is server-only).
create table if not exists public.wa_message_media (
  message_id uuid primary key references public.wa_messages (id) on delete cascade,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  direction text not null check (direction in ('in', 'out')),
  kind text not null check (kind in ('image', 'video', 'audio', 'document', 'sticker')),
  -- Meta's id: from the webhook (inbound), from POST /{phone_number_id}/media (outbound, once uploaded).
  meta_media_id text,
  -- What Meta announced (inbound) or the uploader gave (outbound).
  mime text,
  announced_sha256 text,
  file_name text,
  caption text,
  -- pending -> processing -> stored | failed | expired (inbound); stored from the start (outbound).
  state text not null default 'pending' check (state in ('pending', 'processing', 'stored', 'failed', 'expired')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_at timestamptz,
  locked_by text,
  last_error text,
  media_id uuid references public.media (id),
  sha256 text,
  bytes bigint,
  storage_path text,
  received_at timestamptz not null default now(),
  stored_at timestamptz,
  uploaded_at timestamptz,
  updated_at timestamptz not null default now()
);
-- wabase:converge public.wa_message_media: a table made by hand before this migration gets the columns it lacks.
alter table public.wa_message_media
  add column if not exists message_id uuid references public.wa_messages (id) on delete cascade,
  add column if not exists workspace_id uuid references public.workspaces (id) on delete cascade,
  add column if not exists direction text,
  add column if not exists kind text,
  add column if not exists meta_media_id text,
  add column if not exists mime text,
  add column if not exists announced_sha256 text,
  add column if not exists file_name text,
  add column if not exists caption text,
  add column if not exists state text not null default 'pending',
  add column if not exists attempts integer not null default 0,
  add column if not exists next_attempt_at timestamptz not null default now(),
  add column if not exists locked_at timestamptz,
  add column if not exists locked_by text,
  add column if not exists last_error text,
  add column if not exists media_id uuid references public.media (id),
  add column if not exists sha256 text,
  add column if not exists bytes bigint,
  add column if not exists storage_path text,
  add column if not exists received_at timestamptz not null default now(),
  add column if not exists stored_at timestamptz,
  add column if not exists uploaded_at timestamptz,
  add column if not exists updated_at timestamptz not null default now();
-- wabase:end-converge
alter table public.wa_message_media enable row level security;
revoke all on public.wa_message_media from anon, authenticated;
grant select on public.wa_message_media to authenticated;

drop policy if exists wa_message_media_member_read on public.wa_message_media;
create policy wa_message_media_member_read on public.wa_message_media
  for select to authenticated
  using (workspace_id in (select public.my_workspace_ids()));

-- The worker's queue: inbound jobs due or whose lease ran out.
create index if not exists wa_message_media_due_idx on public.wa_message_media (next_attempt_at)
  where direction = 'in' and state in ('pending', 'processing');
-- "Is this stored media item one of the workspace's?" (send-media with a mediaId).
create index if not exists wa_message_media_media_idx on public.wa_message_media (media_id) where media_id is not null;

-- Inbound media messages record their job in the statement that stores them (webhook ingest), so
-- ingest never downloads and never forgets one; a re-delivered message is not inserted again
-- (wa_messages dedupes on the wamid), so neither is its job. An id too long to be Meta's is kept as
-- a failed job rather than sent to the Graph API.
create or replace function public.wa_message_media_from_messages()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  insert into public.wa_message_media
    (message_id, workspace_id, direction, kind, meta_media_id, mime, announced_sha256, file_name, caption, state, last_error, received_at)
  select c.id, c.workspace_id, 'in', c.type, j.media ->> 'id', left(j.media ->> 'mime_type', 200), left(j.media ->> 'sha256', 200),
         left(j.media ->> 'filename', 255), left(j.media ->> 'caption', 4096),
         case when length(j.media ->> 'id') > 512 then 'failed' else 'pending' end,
         case when length(j.media ->> 'id') > 512 then 'media_id_too_long: Meta''s media id is over 512 characters' end,
         c.created_at
  from changed c
    cross join lateral (select case when jsonb_typeof(c.payload -> c.type) = 'object' then c.payload -> c.type end as media) j
  where c.direction = 'in' and c.type in ('image', 'video', 'audio', 'document', 'sticker')
    and jsonb_typeof(j.media -> 'id') = 'string'
  on conflict (message_id) do nothing;
  -- Inside deferred webhook ingest (20261202170000) the wake-up is sent after the commit instead.
  if found and current_setting('wabase.defer_hub_events', true) = 'on' then
    perform set_config('wabase.deferred_media_jobs', 'on', true);
  elsif found then
    perform pg_notify('wabase_media_jobs', '');
  end if;
  return null;
end;
$$;

drop trigger if exists wa_messages_media_jobs on public.wa_messages;
create trigger wa_messages_media_jobs
  after insert on public.wa_messages referencing new table as changed
  for each statement execute function public.wa_message_media_from_messages();

-- Claims due inbound jobs for one worker (SKIP LOCKED; a job held past the lease is claimable
-- again), with what the download needs: the message's connection and Meta's id.
create or replace function public.claim_wa_media_jobs(p_limit integer, p_worker text, p_lease_seconds integer default 300)
returns table (message_id uuid, workspace_id uuid, connection_id uuid, kind text, meta_media_id text, mime text,
               announced_sha256 text, file_name text, attempts integer, received_at timestamptz)
language plpgsql
set search_path = ''
as $$
begin
  return query
  with due as (
    select j.message_id
    from public.wa_message_media j
    where j.direction = 'in'
      and ((j.state = 'pending' and j.next_attempt_at <= now())
        or (j.state = 'processing' and j.locked_at < now() - make_interval(secs => p_lease_seconds)))
    order by j.next_attempt_at
    limit greatest(p_limit, 0)
    for update skip locked
  ),
  claimed as (
    update public.wa_message_media j
    set state = 'processing', locked_at = now(), locked_by = p_worker, attempts = j.attempts + 1, updated_at = now()
    from due
    where j.message_id = due.message_id
    returning j.message_id, j.workspace_id, j.kind, j.meta_media_id, j.mime, j.announced_sha256, j.file_name, j.attempts, j.received_at
  )
  select c.message_id, c.workspace_id, m.connection_id, c.kind, c.meta_media_id, c.mime, c.announced_sha256, c.file_name, c.attempts, c.received_at
  from claimed c join public.wa_messages m on m.id = c.message_id;
end
$$;

revoke execute on function public.claim_wa_media_jobs(integer, text, integer) from public, anon, authenticated;
grant execute on function public.claim_wa_media_jobs(integer, text, integer) to service_role;
revoke execute on function public.wa_message_media_from_messages() from public, anon, authenticated;
