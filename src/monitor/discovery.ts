import type pg from 'pg';
import { pairsFromGroups } from './identities/jids.js';
import { saveLidPairs } from './identities/lid-map.js';
import type { WaGroupMetadata } from './session/port.js';

/**
 * Upserts groups by wa_group_id with their current names, in one statement. Never touches
 * `monitor` (only the toggle route writes it). A changed name writes
 * `audit_log('group_rename', {from, to, wa_group_id})`; a full discovery ends with
 * `audit_log('discovery', {count})`.
 */
const UPSERT_GROUPS = `
  with incoming as (
    select distinct on (wa_group_id) wa_group_id, name
      from unnest($1::text[], $2::text[]) as t(wa_group_id, name)
     where name is not null and name <> ''
  ), before as (
    select g.wa_group_id, g.name from public.groups g join incoming i using (wa_group_id)
  ), up as (
    insert into public.groups as g (wa_group_id, name, last_seen_ts)
    select wa_group_id, name, now() from incoming
    on conflict (wa_group_id) do update set name = excluded.name, last_seen_ts = greatest(g.last_seen_ts, excluded.last_seen_ts)
    returning g.wa_group_id
  ), renames as (
    insert into public.audit_log (kind, detail)
    select 'group_rename', jsonb_build_object('from', b.name, 'to', i.name, 'wa_group_id', i.wa_group_id)
      from before b join incoming i using (wa_group_id)
     where b.name is distinct from i.name
    returning 1
  ), discovery as (
    insert into public.audit_log (kind, detail)
    select 'discovery', jsonb_build_object('count', (select count(*) from up)) where $3
    returning 1
  )
  select (select count(*) from up)::int as count, (select count(*) from renames)::int as renamed`;

export interface DiscoveryResult {
  count: number;
  renamed: number;
}

/**
 * Stores the groups a session reports; `full` (a discovery run) also writes the discovery audit
 * row. Participants that come with both identities feed the lid ↔ phone mapping.
 */
export async function upsertGroups(
  db: Pick<pg.ClientBase, 'query'>,
  groups: Partial<WaGroupMetadata>[],
  options: { full: boolean },
): Promise<DiscoveryResult> {
  const named = groups.filter((group): group is WaGroupMetadata => Boolean(group.id && group.subject));
  const { rows } = await db.query<DiscoveryResult>(UPSERT_GROUPS, [named.map((g) => g.id), named.map((g) => g.subject), options.full]);
  await saveLidPairs(db, pairsFromGroups(groups), 'group_metadata');
  return rows[0]!;
}

/** A discovery run: every group the session participates in. */
export async function discoverGroups(
  db: Pick<pg.ClientBase, 'query'>,
  fetchAll: () => Promise<Record<string, WaGroupMetadata>>,
): Promise<DiscoveryResult> {
  return upsertGroups(db, Object.values(await fetchAll()), { full: true });
}
