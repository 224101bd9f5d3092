import type { Pool } from '../../db/pool.js';
import { MEDIA_JOBS_CHANNEL } from '../media/channel.js';
import { HUB_CHANNEL } from './hub-events.js';

/** What an ingest transaction collected instead of NOTIFYing (migration 20261202170000). */
export interface DeferredSignals {
  /** Realtime payloads for the inbox's channel. */
  hubEvents: readonly string[];
  /** Media was queued: the media worker is to be woken. */
  mediaJobs?: boolean;
}

/**
 * NOTIFYs what ingest transactions collected instead of sending it themselves (a NOTIFY in the
 * ingest transaction would serialize every commit). Called after they committed; one statement
 * for all of them, identical payloads once. Its transaction writes no WAL, so it never waits for a
 * flush.
 */
export async function publishHubEvents(pool: Pool, signals: readonly DeferredSignals[]): Promise<void> {
  const payloads = [...new Set(signals.flatMap((s) => s.hubEvents))];
  const media = signals.some((s) => s.mediaJobs);
  if (payloads.length === 0 && !media) return;
  await pool.query(
    'select pg_notify($1, p) from unnest($2::text[]) as p union all select pg_notify($3, \'\') where $4',
    [HUB_CHANNEL, payloads, MEDIA_JOBS_CHANNEL, media],
  );
}
