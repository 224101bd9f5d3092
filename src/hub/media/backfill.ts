import type { Pool } from '../../db/pool.js';
import { WEBHOOK_MEDIA_ID_LIFETIME_MS } from './archive-job.js';

export interface MediaStateCount { state: string; jobs: number; oldest: Date | null }

/** Inbound media jobs per state (the "missing media" report): how many, and since when. */
export async function inboundMediaStates(pool: Pool, workspaceId: string | null): Promise<MediaStateCount[]> {
  return (await pool.query<MediaStateCount>(
    `select state, count(*)::int as jobs, min(received_at) as oldest from public.wa_message_media
     where direction = 'in' and ($1::uuid is null or workspace_id = $1) group by state order by state`,
    [workspaceId],
  )).rows;
}

/**
 * Puts failed inbound jobs back in the queue with fresh attempts (after a token was replaced, say),
 * when their media id can still work: younger than the 7 days a webhook media id lives. Returns how
 * many. Expired ones stay expired; nothing at Meta can bring them back.
 */
export async function retryFailedInboundMedia(pool: Pool, workspaceId: string | null): Promise<number> {
  const result = await pool.query(
    `update public.wa_message_media set state = 'pending', attempts = 0, next_attempt_at = now(), last_error = null, updated_at = now()
     where direction = 'in' and state = 'failed' and meta_media_id is not null and received_at > now() - make_interval(secs => $2)
       and ($1::uuid is null or workspace_id = $1)`,
    [workspaceId, WEBHOOK_MEDIA_ID_LIFETIME_MS / 1000],
  );
  if ((result.rowCount ?? 0) > 0) await pool.query('select pg_notify(\'wabase_media_jobs\', \'\')');
  return result.rowCount ?? 0;
}
