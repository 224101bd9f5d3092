import { createHash } from 'node:crypto';
import type { Pool } from '../../db/pool.js';
import { takeRateLimitSlot } from '../../db/rate-limit.js';
import { withTransaction } from '../../db/tx.js';
import { type UserClaims, withUser } from '../../db/with-user.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { archiveMedia } from '../../monitor/ingest/media.js';
import { MEDIA_BUCKET, type MediaStore } from '../../storage/store.js';
import { resolveConnectionForThread, type ThreadRef } from '../connections.js';
import { assertCustomerWindowOpen } from '../customer-window.js';
import { OUTBOX_CHANNEL, type QueuedSend, quotedWamid } from '../send-text.js';
import type { SendableKind } from './limits.js';
import { assertContentMatches, TEXT_PROBE_BYTES } from './magic-bytes.js';
import { checkMedia, declaredMime } from './send-media-input.js';
import { once } from './once.js';

export interface SendMediaInput {
  workspaceId: string;
  threadId: string;
  /** Image, video, audio or document; default: from the file's type. */
  kind: SendableKind | null;
  caption: string | null;
  /** A document's name as the customer sees it; default the uploaded file's name. */
  fileName: string | null;
  idempotencyKey: string | null;
  /** An uploaded file, or… */
  file: { bytes: Buffer; mime: string | null; fileName: string | null } | null;
  /** …a media item already stored in this workspace (an inbound one, say). */
  mediaId: string | null;
  /** A message of the thread to quote (as send-text's replyTo): sent with `context.message_id`. */
  replyTo?: string | null;
}

interface StoredItem { mediaId: string; sha256: string; mime: string; bytes: number; storagePath: string; fileName: string | null }

type Thread = ThreadRef & { customer_window_expires_at: Date | null };

/** Same rule as send-text: without a key, the same file and caption to the same thread within a minute is one send. */
function derivedKey(input: SendMediaInput, sha256: string, userId: string): string {
  const minute = Math.floor(Date.now() / 60_000);
  return `auto:${createHash('sha256').update(['media', input.workspaceId, input.threadId, userId, sha256, input.caption ?? '', minute].join('\u0000')).digest('hex')}`;
}

/** The send already queued under `key`; 409 idempotency_key_reused when it was another thread, file or caption. */
async function queuedUnder(pool: Pool, key: string, threadId: string, sha256: string, caption: string | null): Promise<QueuedSend | null> {
  const row = (await pool.query<{ id: string; message_id: string; thread_id: string; sha256: string | null; caption: string | null }>(
    `select o.id, o.message_id, o.thread_id, mm.sha256, mm.caption
     from public.outbox_messages o left join public.wa_message_media mm on mm.message_id = o.message_id
     where o.idempotency_key = $1`,
    [key],
  )).rows[0];
  if (!row) return null;
  const differs = [row.thread_id !== threadId && 'threadId', row.sha256 !== sha256 && 'file', (row.caption ?? null) !== caption && 'caption'].filter(Boolean);
  if (differs.length > 0) {
    throw new ConflictError('idempotency_key_reused', `idempotencyKey was already used for another message: this request differs in ${differs.join(' and ')}`);
  }
  return { queued: true, outboxId: row.id, messageId: row.message_id, duplicate: true };
}

class KeyTaken extends Error {}

/** A stored media item of this workspace (read as the user: RLS), or 404. */
async function storedItem(pool: Pool, user: UserClaims, workspaceId: string, mediaId: string): Promise<StoredItem> {
  const row = await withUser(pool, user, async (client) => (await client.query<StoredItem>(
    `select media_id as "mediaId", sha256, mime, bytes::float8 as bytes, storage_path as "storagePath", file_name as "fileName"
     from public.wa_message_media where media_id = $1 and workspace_id = $2 and state = 'stored' limit 1`,
    [mediaId, workspaceId],
  )).rows[0]);
  if (!row) throw new NotFoundError('media_not_found', 'mediaId: no stored media item with this id in this workspace');
  return row;
}

/** Stores an uploaded file in the private bucket by sha256 (the group monitor's archive: one object per content). */
async function storeUpload(
  pool: Pool, store: MediaStore, file: { bytes: Buffer; fileName: string | null }, mime: string, maxBytes: number,
): Promise<StoredItem> {
  const ref = { mime, fileLength: file.bytes.length, width: null, height: null, durationS: null, fileName: file.fileName };
  const outcome = await archiveMedia(pool, store, ref, async () => once(file.bytes), maxBytes);
  if ('skipped' in outcome) throw new Error(`the upload could not be stored: ${outcome.skipped}`);
  const row = (await pool.query<{ sha256: string; bytes: number; storage_path: string; mime: string }>(
    'select sha256, bytes::float8 as bytes, storage_path, mime from public.media where id = $1', [outcome.mediaId])).rows[0]!;
  return { mediaId: outcome.mediaId, sha256: row.sha256, mime, bytes: row.bytes, storagePath: row.storage_path, fileName: file.fileName };
}

/**
 * Queues a media reply. Checked before anything is stored or queued: membership (the thread under
 * RLS), the type and size against Meta's limits (400/413), an upload's leading bytes against its
 * type (400 media_type_mismatch), the customer service window (409). Then
 * the file goes to the bucket (content-addressed, so a retry stores nothing new), and one
 * transaction writes the message, its media row and the outbox row; the worker uploads the file to
 * Meta and sends it. Idempotency as send-text: the same key returns the same ids.
 */
export async function queueMedia(pool: Pool, store: MediaStore, user: UserClaims, input: SendMediaInput, ratePerMinute: number): Promise<QueuedSend> {
  const thread = await withUser(pool, user, async (client) => (await client.query<Thread>(
    `select id, workspace_id, phone_number_id, connection_id, contact_wa_id, customer_window_expires_at
     from public.wa_threads where id = $1 and workspace_id = $2`,
    [input.threadId, input.workspaceId],
  )).rows[0]);
  if (!thread) throw new NotFoundError('thread_not_found', 'Thread not found in this workspace');

  const existingItem = input.mediaId ? await storedItem(pool, user, input.workspaceId, input.mediaId) : null;
  const fileName = input.fileName ?? input.file?.fileName ?? existingItem?.fileName ?? null;
  const mime = existingItem ? existingItem.mime : declaredMime(input.file?.mime, fileName);
  const checked = checkMedia(mime, existingItem ? existingItem.bytes : input.file!.bytes.length, input.kind);
  // An upload's leading bytes must fit its type (a stored item is sent as it was archived).
  if (!existingItem) assertContentMatches(checked.mime, input.file!.bytes.subarray(0, TEXT_PROBE_BYTES));
  const sha256 = existingItem?.sha256 ?? createHash('sha256').update(input.file!.bytes).digest('hex');

  const key = `${input.workspaceId}:${input.idempotencyKey?.trim() || derivedKey(input, sha256, user.sub)}`;
  const existing = await queuedUnder(pool, key, input.threadId, sha256, input.caption);
  if (existing) return existing;
  // Free-form media goes out only inside the customer service window (the shared check).
  assertCustomerWindowOpen(thread.customer_window_expires_at);

  const item = existingItem ?? await storeUpload(pool, store, { bytes: input.file!.bytes, fileName }, checked.mime, input.file!.bytes.length);
  const documentName = checked.kind === 'document' ? (fileName ?? `document.${item.storagePath.split('.').pop()}`) : null;
  const body: Record<string, string> = {};
  if (input.caption) body.caption = input.caption;
  if (documentName) body.filename = documentName;
  try {
    return await withTransaction(pool, async (client) => {
      const connection = await resolveConnectionForThread(client, thread);
      await takeRateLimitSlot(client, `send:${input.workspaceId}`, ratePerMinute, 60);
      const contextWamid = input.replyTo ? await quotedWamid(client, thread.id, input.replyTo) : null;
      const message = (await client.query<{ id: string }>(
        `insert into public.wa_messages (workspace_id, thread_id, connection_id, phone_number_id, direction, type, text, status, status_at, context_wa_message_id)
         values ($1, $2, $3, $4, 'out', $5, $6, 'queued', now(), $7) returning id`,
        [input.workspaceId, thread.id, connection.id, connection.phone_number_id, checked.kind, input.caption, contextWamid],
      )).rows[0]!;
      const payload = { type: checked.kind, [checked.kind]: body, ...(contextWamid ? { context: { message_id: contextWamid } } : {}) };
      const outbox = await client.query<{ id: string }>(
        `insert into public.outbox_messages (workspace_id, thread_id, connection_id, message_id, to_phone, payload, idempotency_key)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (idempotency_key) do nothing returning id`,
        [input.workspaceId, thread.id, connection.id, message.id, thread.contact_wa_id, JSON.stringify(payload), key],
      );
      if (!outbox.rows[0]) throw new KeyTaken();
      await client.query(
        `insert into public.wa_message_media (message_id, workspace_id, direction, kind, mime, file_name, caption, state, media_id, sha256,
           bytes, storage_path, stored_at)
         values ($1, $2, 'out', $3, $4, $5, $6, 'stored', $7, $8, $9, $10, now())`,
        [message.id, input.workspaceId, checked.kind, checked.mime, documentName ?? fileName, input.caption, item.mediaId, item.sha256, item.bytes,
          item.storagePath.startsWith(`${MEDIA_BUCKET}/`) ? item.storagePath : `${MEDIA_BUCKET}/${item.storagePath}`],
      );
      await client.query(
        'update public.wa_threads set last_message_preview = left($2, 500), last_message_at = now(), updated_at = now() where id = $1',
        [thread.id, input.caption || `[${checked.kind}]`],
      );
      await client.query('select pg_notify($1, $2)', [OUTBOX_CHANNEL, input.workspaceId]);
      return { queued: true as const, outboxId: outbox.rows[0].id, messageId: message.id, duplicate: false };
    });
  } catch (error) {
    if (error instanceof KeyTaken) return (await queuedUnder(pool, key, input.threadId, sha256, input.caption))!;
    throw error;
  }
}
