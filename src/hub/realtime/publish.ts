import type { Pool } from '../../db/pool.js';
import { HUB_CHANNEL } from './hub-events.js';

/**
 * NOTIFYs realtime payloads an ingest transaction collected instead of sending them itself
 * (migration 20261202170000: a NOTIFY in the ingest transaction would serialize every commit).
 * Called after that transaction committed; one statement for all of them, identical ones once. Its
 * transaction writes no WAL, so it never waits for a flush.
 */
export async function publishHubEvents(pool: Pool, payloads: readonly string[]): Promise<void> {
  if (payloads.length === 0) return;
  await pool.query('select pg_notify($1, p) from unnest($2::text[]) as p', [HUB_CHANNEL, [...new Set(payloads)]]);
}
