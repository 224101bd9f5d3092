import { containsPattern } from '../db/like.js';
import type { Pool } from '../db/pool.js';
import { NotFoundError } from '../errors.js';

export interface GroupQuery {
  /** Name contains (trigram index). */
  q?: string;
  monitor?: boolean;
  /** On block_groups (true) or not (false). */
  blocked?: boolean;
  /** 1..200, default 50. */
  limit?: number;
  offset?: number;
}

export interface Group {
  id: string;
  waGroupId: string;
  name: string;
  monitor: boolean;
  lastSeenTs: Date | null;
  createdAt: Date;
  /** On block_groups: never archived, whatever `monitor` says. */
  blocked: boolean;
  /** Archived messages of the group. */
  messageCount: number;
  /** The newest archived message's time. */
  lastMessageAt: Date | null;
}

const BLOCKED = 'exists (select 1 from public.block_groups b where b.wa_group_id = g.wa_group_id)';
const COLUMNS = `g.id, g.wa_group_id as "waGroupId", g.name, g.monitor, g.last_seen_ts as "lastSeenTs", g.created_at as "createdAt",
  ${BLOCKED} as blocked`;
// Kept by ingest (group_message_stats): one primary-key probe per row of the page.
const counts = (groupId: string) => `
  coalesce((select st.message_count::int from public.group_message_stats st where st.group_id = ${groupId}), 0) as "messageCount",
  (select st.last_message_at from public.group_message_stats st where st.group_id = ${groupId}) as "lastMessageAt"`;

/** Discovered groups by name, with paging, the total that matches, and each group's message count. */
export async function listGroups(pool: Pool, query: GroupQuery): Promise<{ items: Group[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.q) where.push(`g.name ilike $${params.push(containsPattern(query.q))}`);
  if (query.monitor !== undefined) where.push(`g.monitor = $${params.push(query.monitor)}`);
  if (query.blocked !== undefined) where.push(`${BLOCKED} = $${params.push(query.blocked)}`);
  const filter = where.length ? `where ${where.join(' and ')}` : '';
  const filterParams = [...params];
  const limit = `$${params.push(query.limit ?? 50)}`;
  const offset = `$${params.push(query.offset ?? 0)}`;
  // The page (an index range scan on (name, id)) and the total are two queries at once: a window
  // count would read every matching group for every page.
  const [page, counted] = await Promise.all([
    pool.query<Group>(
      `select p.*, ${counts('p.id')}
         from (select ${COLUMNS} from public.groups g ${filter} order by g.name, g.id limit ${limit} offset ${offset}) p
        order by p.name, p.id`,
      params,
    ),
    pool.query<{ n: number }>(`select count(*)::int as n from public.groups g ${filter}`, filterParams),
  ]);
  const rows = page.rows;
  const total = counted.rows[0]!.n;
  return { items: rows, total };
}

/** Turns monitoring of one group on or off: the only writer of `groups.monitor`. */
export async function setMonitored(pool: Pool, id: string, monitor: boolean): Promise<Group> {
  const { rows } = await pool.query<Group>(
    `update public.groups g set monitor = $2 where g.id = $1 returning ${COLUMNS}, ${counts('g.id')}`, [id, monitor]);
  if (!rows[0]) throw new NotFoundError('group_not_found', 'Group not found');
  return rows[0];
}

/** A group's names over time, newest first, from its group_rename audit rows. */
export async function renameHistory(pool: Pool, id: string): Promise<{ items: { at: Date; from: string | null; to: string | null }[] }> {
  const group = await pool.query<{ waGroupId: string }>('select wa_group_id as "waGroupId" from public.groups where id = $1', [id]);
  if (!group.rows[0]) throw new NotFoundError('group_not_found', 'Group not found');
  const { rows } = await pool.query<{ at: Date; from: string | null; to: string | null }>(
    `select at, detail->>'from' as "from", detail->>'to' as "to" from public.audit_log
      where kind = 'group_rename' and detail->>'wa_group_id' = $1 order by at desc, id desc limit 100`,
    [group.rows[0].waGroupId],
  );
  return { items: rows };
}
