-- Group monitor, issue 14.
--
-- 1. block_keywords gets a reason, like block_groups and block_senders (the blocklists page asks for one).
alter table public.block_keywords add column if not exists reason text;

-- 2. WhatsApp @lid identities. Baileys 7 reports many senders and participants as `<digits>@lid`
--    instead of their phone jid. wa_lid_map keeps what WhatsApp has told us of `lid ↔ phone jid`
--    (Baileys' lid-mapping events, the `participantPn`/`senderPn` alternates on message keys, and
--    group metadata), so blocklists, names and attribution survive the switch. One row per lid;
--    the newest report wins.
create table if not exists public.wa_lid_map (
  lid text primary key check (lid like '%@lid'),
  pn text not null check (pn like '%@s.whatsapp.net'),
  source text not null check (source in ('lid_mapping', 'message_key', 'group_metadata')),
  updated_at timestamptz not null default now()
);
-- wabase:converge public.wa_lid_map: a table made by hand before this migration gets the columns it lacks
-- and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.wa_lid_map
  add column if not exists lid text primary key check (lid like '%@lid'),
  add column if not exists pn text not null check (pn like '%@s.whatsapp.net'),
  add column if not exists source text not null check (source in ('lid_mapping', 'message_key', 'group_metadata')),
  add column if not exists updated_at timestamptz not null default now();
alter table public.wa_lid_map
  alter column pn set not null,
  alter column source set not null,
  alter column updated_at set not null,
  alter column updated_at set default now();
-- wabase:end-converge
create index if not exists wa_lid_map_pn_idx on public.wa_lid_map (pn);
alter table public.wa_lid_map enable row level security;

-- 3. Each message keeps `sender` as WhatsApp sent it and adds the resolved phone jid when known.
alter table public.messages add column if not exists sender_pn text;
-- The helper view selects `*`: recreated so it carries the new column, exactly as the init
-- migration would create it now (so re-running that migration changes nothing).
create or replace view public.messages_latest_per_group with (security_invoker = true) as
select distinct on (chat_id) *
from public.messages
order by chat_id, ts desc;

-- 4. Per-group message counts for the groups page (5,000 groups, a page of 25 with counts in
--    < 20 ms): counting a busy group's messages row by row costs milliseconds per group, so ingest
--    keeps a running count and the newest message time here, in the statement that stores the
--    messages. Backfilled from what is archived.
create table if not exists public.group_message_stats (
  group_id uuid primary key references public.groups (id) on delete cascade,
  message_count bigint not null default 0,
  last_message_at timestamptz
);
-- wabase:converge public.group_message_stats: a table made by hand before this migration gets the columns it
-- lacks and this migration's nullability; extra legacy columns are kept. A no-op where the table was made here.
alter table public.group_message_stats
  add column if not exists group_id uuid primary key references public.groups (id) on delete cascade,
  add column if not exists message_count bigint not null default 0,
  add column if not exists last_message_at timestamptz;
alter table public.group_message_stats
  alter column message_count set not null,
  alter column message_count set default 0,
  alter column last_message_at drop not null;
-- wabase:end-converge
alter table public.group_message_stats enable row level security;
insert into public.group_message_stats (group_id, message_count, last_message_at)
select group_id, count(*), max(ts) from public.messages where group_id is not null group by group_id
on conflict (group_id) do nothing;
