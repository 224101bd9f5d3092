import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { BLOCKLIST_TABLES, type BlocklistKind, normalizeReason, normalizeValue } from './values.js';

export interface BlockedEntry {
  value: string;
  reason: string | null;
  createdAt: Date;
}

/** Who made a change, for owner_audit_log. */
export interface Actor {
  userId: string;
  email: string | null;
}

const AUDIT = `
  insert into public.owner_audit_log (action, actor_user_id, actor_email, target_table, target_id, before_data, after_data, meta)
  values ($1, $2, $3, $4, $5, $6, $7, jsonb_build_object('area', 'monitor'))`;

/** One blocklist, newest first (the lists are short: people type them in). */
export async function listBlocked(pool: Pool, kind: BlocklistKind, limit = 1000): Promise<{ items: BlockedEntry[] }> {
  const { table, column } = BLOCKLIST_TABLES[kind];
  const { rows } = await pool.query<BlockedEntry>(
    `select ${column} as value, reason, created_at as "createdAt" from public.${table} order by created_at desc, ${column} limit $1`,
    [limit],
  );
  return { items: rows };
}

/**
 * Adds a value (normalized: see values.ts) with an optional reason and writes the
 * `monitor.blocklist.added` audit row in the same transaction. Already there: 409 already_blocked.
 */
export async function addBlocked(pool: Pool, actor: Actor, kind: BlocklistKind, rawValue: string, rawReason?: string | null): Promise<BlockedEntry> {
  const value = normalizeValue(kind, rawValue);
  const reason = normalizeReason(rawReason);
  const { table, column } = BLOCKLIST_TABLES[kind];
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<BlockedEntry>(
      `insert into public.${table} (${column}, reason) values ($1, $2) on conflict (${column}) do nothing
       returning ${column} as value, reason, created_at as "createdAt"`,
      [value, reason],
    );
    const entry = rows[0];
    if (!entry) throw new ConflictError('already_blocked', `value ${value} is already on the ${kind} blocklist`);
    await client.query(AUDIT, ['monitor.blocklist.added', actor.userId, actor.email, table, value, null, JSON.stringify(entry)]);
    return entry;
  });
}

/** Removes a value (given as listed, or in any form that normalizes to it), audited as `monitor.blocklist.removed`. */
export async function removeBlocked(pool: Pool, actor: Actor, kind: BlocklistKind, rawValue: string): Promise<void> {
  const value = normalizeValue(kind, rawValue);
  const { table, column } = BLOCKLIST_TABLES[kind];
  await withTransaction(pool, async (client) => {
    const { rows } = await client.query<BlockedEntry>(
      `delete from public.${table} where ${column} = $1 returning ${column} as value, reason, created_at as "createdAt"`,
      [value],
    );
    if (!rows[0]) throw new NotFoundError('not_blocked', `value ${value} is not on the ${kind} blocklist`);
    await client.query(AUDIT, ['monitor.blocklist.removed', actor.userId, actor.email, table, value, JSON.stringify(rows[0]), null]);
  });
}
