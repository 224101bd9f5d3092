import type { Pool } from '../../db/pool.js';
import { type UserClaims, withUser } from '../../db/with-user.js';
import { MEDIA_BUCKET, type MediaStore, signedUrlExpiry } from '../../storage/store.js';
import { MEDIA_KINDS, type MediaKind } from './limits.js';

/** A message's media as the inbox shows it: a signed URL once the bytes are in the bucket. */
export interface MessageMedia {
  kind: MediaKind;
  /** pending/processing: being fetched from Meta; stored: `url` works; failed/expired: never will (see `error`). */
  state: 'pending' | 'processing' | 'stored' | 'failed' | 'expired';
  mime: string | null;
  bytes: number | null;
  sha256: string | null;
  fileName: string | null;
  caption: string | null;
  url: string | null;
  expiresAt: string | null;
  error: string | null;
}

interface Row extends Omit<MessageMedia, 'url' | 'expiresAt'> { messageId: string; storagePath: string | null }

const kinds = new Set<string>(MEDIA_KINDS);

/**
 * Adds `media` to each message of a page: one read of wa_message_media as the user (RLS: members
 * of the workspace) for the page's media messages, and signed URLs valid `ttlSeconds` for the
 * stored ones (as GET /api/messages signs the monitor's).
 */
export async function withMessageMedia<T extends { id: string; type: string }>(
  pool: Pool, user: UserClaims, store: MediaStore, ttlSeconds: number, messages: T[],
): Promise<(T & { media: MessageMedia | null })[]> {
  const ids = messages.filter((message) => kinds.has(message.type)).map((message) => message.id);
  const rows = ids.length === 0
    ? []
    : await withUser(pool, user, async (client) => (await client.query<Row>(
        `select message_id as "messageId", kind, state, mime, bytes::float8 as bytes, sha256, file_name as "fileName", caption,
            storage_path as "storagePath", last_error as error
     from public.wa_message_media where message_id = any($1)`,
        [ids],
      )).rows);
  const keyOf = (path: string) => (path.startsWith(`${MEDIA_BUCKET}/`) ? path.slice(MEDIA_BUCKET.length + 1) : path);
  const stored = rows.filter((row) => row.state === 'stored' && row.storagePath);
  const urls = stored.length ? await store.signedUrls(stored.map((row) => keyOf(row.storagePath!)), ttlSeconds) : new Map<string, string>();
  const expiresAt = new Date(signedUrlExpiry(ttlSeconds) * 1000).toISOString();
  const byMessage = new Map(rows.map(({ messageId, storagePath, ...row }) => {
    const url = row.state === 'stored' && storagePath ? urls.get(keyOf(storagePath)) ?? null : null;
    return [messageId, { ...row, url, expiresAt: url ? expiresAt : null }];
  }));
  return messages.map((message) => ({ ...message, media: byMessage.get(message.id) ?? null }));
}
