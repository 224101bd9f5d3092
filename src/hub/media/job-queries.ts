import type { Pool } from '../../db/pool.js';

/**
 * How the media worker records a job's outcome. Each is one statement, and only the worker holding
 * the job (state processing, locked_by it) changes it, so a job whose lease passed to another
 * worker is not written twice. A stored item's message tells the inbox (message.status) so the
 * open thread shows it.
 */
const STORED = `
  with j as (
    update public.wa_message_media j set state = 'stored', media_id = md.id, sha256 = md.sha256, bytes = md.bytes,
      storage_path = md.storage_path, mime = coalesce(j.mime, md.mime), stored_at = now(), locked_at = null, locked_by = null,
      last_error = null, updated_at = now()
    from public.media md
    where j.message_id = $1 and md.id = $2 and j.state = 'processing' and j.locked_by = $3
    returning j.message_id, j.workspace_id)
  select pg_notify('wabase_hub_events', json_build_object('kind', 'message.status', 'workspaceId', j.workspace_id,
           'threadId', m.thread_id, 'messageId', m.id, 'at', now())::text)
  from j join public.wa_messages m on m.id = j.message_id`;

const RETRY = `
  update public.wa_message_media set state = 'pending', next_attempt_at = now() + make_interval(secs => $2), locked_at = null,
    locked_by = null, last_error = $3, updated_at = now()
  where message_id = $1 and state = 'processing' and locked_by = $4`;

const FINAL = `
  update public.wa_message_media set state = $2, locked_at = null, locked_by = null, last_error = $3, updated_at = now()
  where message_id = $1 and state = 'processing' and locked_by = $4`;

export const mediaJobQueries = (pool: Pool, workerId: string) => ({
  stored: (messageId: string, mediaId: string) => pool.query(STORED, [messageId, mediaId, workerId]),
  retry: (messageId: string, delaySeconds: number, error: string) => pool.query(RETRY, [messageId, delaySeconds, error, workerId]),
  final: (messageId: string, state: 'failed' | 'expired', error: string) => pool.query(FINAL, [messageId, state, error, workerId]),
});
