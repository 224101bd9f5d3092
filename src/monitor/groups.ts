import { containsPattern } from '../db/like.js';
import type { Pool } from '../db/pool.js';
import { NotFoundError } from '../errors.js';

export interface GroupQuery {
  /** Name contains (trigram index). */
  q?: string;
  monitor?: boolean;
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
}

const COLUMNS = `g.id, g.wa_group_id as "waGroupId", g.name, g.monitor, g.last_seen_ts as "lastSeenTs", g.created_at as "createdAt",
  exists (select 1 from public.block_groups b where b.wa_group_id = g.wa_group_id) as blocked`;

/** Discovered groups by name, with paging and the total that matches. */
export async function listGroups(pool: Pool, query: GroupQuery): Promise<{ items: Group[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.q) where.push(`g.name ilike $${params.push(containsPattern(query.q))}`);
  if (query.monitor !== undefined) where.push(`g.monitor = $${params.push(query.monitor)}`);
  const filter = where.length ? `where ${where.join(' and ')}` : '';
  const limit = `$${params.push(query.limit ?? 50)}`;
  const offset = `$${params.push(query.offset ?? 0)}`;
  const { rows } = await pool.query<Group & { total: string }>(
    `select ${COLUMNS}, count(*) over () as total from public.groups g ${filter} order by g.name, g.id limit ${limit} offset ${offset}`,
    params,
  );
  const total = rows[0] ? Number(rows[0].total) : (await pool.query<{ n: string }>(`select count(*) as n from public.groups g ${filter}`, params.slice(0, where.length))).rows[0]!.n;
  return { items: rows.map(({ total: _total, ...group }) => group), total: Number(total) };
}

/** Turns monitoring of one group on or off: the only writer of `groups.monitor`. */
export async function setMonitored(pool: Pool, id: string, monitor: boolean): Promise<Group> {
  const { rows } = await pool.query<Group>(`update public.groups g set monitor = $2 where g.id = $1 returning ${COLUMNS}`, [id, monitor]);
  if (!rows[0]) throw new NotFoundError('group_not_found', 'Group not found');
  return rows[0];
}
