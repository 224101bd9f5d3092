/** The SQL of group-message ingest, one statement per step. */

/** Which of the batch's groups are monitored and not blocked, which senders are blocked, the keywords, and which messages already have their media. */
export const INGEST_FILTERS = `
  select
    (select coalesce(jsonb_object_agg(g.wa_group_id, g.id), '{}') from public.groups g
      where g.wa_group_id = any($1::text[]) and g.monitor
        and not exists (select 1 from public.block_groups b where b.wa_group_id = g.wa_group_id)) as groups,
    (select coalesce(array_agg(sender), '{}') from public.block_senders where sender = any($2::text[])) as "blockedSenders",
    (select coalesce(array_agg(lower(keyword)), '{}') from public.block_keywords) as keywords,
    (select coalesce(array_agg(wa_msg_id), '{}') from public.messages where wa_msg_id = any($3::text[]) and media_id is not null) as "haveMedia"`;

/** Serializes ingest per chat for the transaction, so parent linking sees the other batch's rows. */
export const LOCK_CHATS = `
  select pg_advisory_xact_lock(hashtextextended('wabase.monitor.chat:' || chat, 0))
    from (select distinct unnest($1::text[]) as chat order by 1) chats`;

/**
 * Upserts by wa_msg_id: a replay changes nothing, except that a message stored without its media
 * (a failed download) gets it when a replay brings it. Returns touched rows.
 */
export const INSERT_MESSAGES = `
  with input as (
    select * from jsonb_to_recordset($1::jsonb) as r(
      wa_msg_id text, ts timestamptz, chat_id text, sender text, sender_pn text, kind text, text text, media_id uuid, group_id uuid, raw jsonb)
  ), ins as (
    insert into public.messages as m (wa_msg_id, ts, chat_id, sender, sender_pn, kind, text, media_id, group_id, raw)
    select wa_msg_id, ts, chat_id, sender, sender_pn, kind, text, media_id, group_id, raw from input
    on conflict (wa_msg_id) do update set media_id = excluded.media_id
      where m.media_id is null and excluded.media_id is not null
    returning m.id, (m.xmax = 0) as inserted, m.group_id, m.ts
  ), seen as (
    update public.groups g set last_seen_ts = greatest(g.last_seen_ts, s.ts)
      from (select group_id, max(ts) as ts from ins group by group_id) s
     where g.id = s.group_id
  ), counted as (
    -- The groups page's counts: new rows only (a replay's touched rows are not counted again).
    insert into public.group_message_stats as st (group_id, message_count, last_message_at)
    select group_id, count(*), max(ts) from ins where inserted and group_id is not null group by group_id
    on conflict (group_id) do update set message_count = st.message_count + excluded.message_count,
      last_message_at = greatest(st.last_message_at, excluded.last_message_at)
  )
  select id, inserted from ins`;

/**
 * Links a caption text and a media item from the same sender in the same chat within 90 s, in
 * either order: new texts find their nearest media, and new media adopt nearby unlinked texts.
 */
export const LINK_PARENTS = `
  with touched as (
    select id, chat_id, sender, ts, kind from public.messages where id = any($1::uuid[])
  ), texts as (
    select id, chat_id, sender, ts from touched where kind = 'text'
    union
    -- A range scan of (chat_id, ts desc) per new media item: "offset 0" keeps the planner from
    -- flattening the lateral into a hash join over the whole table.
    select t.id, t.chat_id, t.sender, t.ts
      from touched m
     cross join lateral (
       select t.id, t.chat_id, t.sender, t.ts from public.messages t
        where t.chat_id = m.chat_id
          and t.ts between m.ts - interval '90 seconds' and m.ts + interval '90 seconds'
          and t.sender = m.sender and t.kind = 'text' offset 0) t
     where m.kind in ('image', 'video', 'audio', 'doc')
  ), links as (
    -- The nearest media item of each text, looked up once (texts without one drop out here).
    select x.id, p.id as parent_id
      from texts x
     cross join lateral (
       select p.id from public.messages p
        where p.chat_id = x.chat_id and p.sender = x.sender and p.kind in ('image', 'video', 'audio', 'doc')
          and p.ts between x.ts - interval '90 seconds' and x.ts + interval '90 seconds'
        order by abs(extract(epoch from p.ts - x.ts)), p.ts, p.id
        limit 1) p
  )
  update public.messages t set parent_id = links.parent_id
    from links
   where t.id = links.id and t.parent_id is null`;

export const AUDIT = 'insert into public.audit_log (kind, detail) select kind, detail from jsonb_to_recordset($1::jsonb) as r(kind text, detail jsonb)';
