import type { Pool } from '../../db/pool.js';
import { MEDIA_BUCKET, type MediaStore } from '../../storage/store.js';
import type { MediaGraph } from '../media/graph-media.js';
import { SENDABLE_KINDS } from '../media/limits.js';
import type { SendOutcome } from './graph.js';

/** Meta keeps uploaded media 30 days; an id older than this is uploaded again rather than trusted. */
const REUSE_UPLOAD_DAYS = 29;

export type PreparedPayload = { ok: true; payload: Record<string, unknown> } | Extract<SendOutcome, { ok: false }>;

export interface MediaPreparer {
  /** The payload to send: a media message without Meta's id gets its file uploaded first (`POST /{phone_number_id}/media`). */
  prepare(row: { message_id: string | null; payload: Record<string, unknown> }, phoneNumberId: string, accessToken: string): Promise<PreparedPayload>;
}

interface OutMedia { meta_media_id: string | null; fresh: boolean; storage_path: string | null; mime: string | null; file_name: string | null }

/**
 * Uploads an outbound message's stored file to Meta once (the id is kept on wa_message_media, so a
 * retried send does not upload again) and puts the id in the payload. Upload failures are send
 * failures: retried with the outbox's backoff when Meta says so, failed otherwise.
 */
export function mediaPreparer(options: { pool: Pool; store: MediaStore; graph: MediaGraph }): MediaPreparer {
  return {
    async prepare(row, phoneNumberId, accessToken) {
      const kind = row.payload.type;
      const inner = typeof kind === 'string' ? row.payload[kind] as Record<string, unknown> | undefined : undefined;
      const needsUpload = (SENDABLE_KINDS as readonly unknown[]).includes(kind) && inner && !inner.id && !inner.link && row.message_id;
      if (!needsUpload) return { ok: true, payload: row.payload };
      const media = (await options.pool.query<OutMedia>(
        `select meta_media_id, uploaded_at > now() - make_interval(days => $2) as fresh, storage_path, mime, file_name
         from public.wa_message_media where message_id = $1 and direction = 'out'`,
        [row.message_id, REUSE_UPLOAD_DAYS],
      )).rows[0];
      if (!media?.storage_path || !media.mime) return { ok: false, retryable: false, code: 'media_missing', message: 'The message has no stored file to send' };
      let mediaId = media.fresh ? media.meta_media_id : null;
      if (!mediaId) {
        const key = media.storage_path.startsWith(`${MEDIA_BUCKET}/`) ? media.storage_path.slice(MEDIA_BUCKET.length + 1) : media.storage_path;
        const bytes = await options.store.get(key);
        if (!bytes) return { ok: false, retryable: false, code: 'media_missing', message: 'The stored file is no longer in the bucket' };
        const fileName = media.file_name ?? key.split('/').pop()!;
        const uploaded = await options.graph.upload(phoneNumberId, accessToken, { bytes, mime: media.mime, fileName });
        if (!uploaded.ok) return { ok: false, retryable: uploaded.retryable, code: uploaded.code, message: `Media upload: ${uploaded.message}` };
        mediaId = uploaded.value;
        await options.pool.query(
          'update public.wa_message_media set meta_media_id = $2, uploaded_at = now(), updated_at = now() where message_id = $1',
          [row.message_id, mediaId],
        );
      }
      return { ok: true, payload: { ...row.payload, [kind as string]: { ...inner, id: mediaId } } };
    },
  };
}
