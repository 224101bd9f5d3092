import type pg from 'pg';
import { takeRateLimitSlot } from '../db/rate-limit.js';

/** The runtime flags the UI writes and the worker acts on (seed 001's keys, plus disconnect). */
export const FLAGS = {
  fetchGroups: 'fetch_groups_requested',
  refreshQr: 'wa_refresh_qr_requested',
  disconnect: 'wa_disconnect_requested',
} as const;

export type FlagKey = (typeof FLAGS)[keyof typeof FLAGS];

/** The channel the flag trigger notifies (migration 20261122000000). */
export const FLAG_CHANNEL = 'wabase_runtime_flags';

type Db = Pick<pg.ClientBase, 'query'>;

/**
 * Writes a flag `{at}` for the worker. The same flag requested again within `intervalSeconds`
 * is refused with 429 (RateLimitedError), so a double click does not queue two actions.
 */
export async function requestFlag(db: Db, key: FlagKey, intervalSeconds: number): Promise<{ key: FlagKey; at: string }> {
  await takeRateLimitSlot(db, `monitor:flag:${key}`, 1, intervalSeconds);
  const { rows } = await db.query<{ at: string }>(
    `insert into public.runtime_flags (key, value, updated_at) values ($1, jsonb_build_object('at', now()), now())
     on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at
     returning value->>'at' as at`,
    [key],
  );
  return { key, at: rows[0]!.at };
}

/** The flags waiting for the worker. */
export async function pendingFlags(db: Db): Promise<FlagKey[]> {
  const { rows } = await db.query<{ key: FlagKey }>('select key from public.runtime_flags where key = any($1) order by updated_at', [Object.values(FLAGS)]);
  return rows.map((row) => row.key);
}

/**
 * Takes a flag: deletes it and returns its value, or null when it is not set (or another worker
 * took it first). Deleting is what makes each request acted on exactly once.
 */
export async function claimFlag(db: Db, key: FlagKey): Promise<Record<string, unknown> | null> {
  const { rows } = await db.query<{ value: Record<string, unknown> }>('delete from public.runtime_flags where key = $1 returning value', [key]);
  return rows[0]?.value ?? null;
}
