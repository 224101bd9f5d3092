import { createHash } from 'node:crypto';
import type pg from 'pg';
import { MEDIA_BUCKET, type MediaStore } from '../../storage/store.js';
import { mediaKey } from '../../storage/mime.js';
import type { MediaRef } from './wa-message.js';

export type MediaOutcome =
  | { mediaId: string; reused: boolean } |
  { skipped: 'too_large'; bytes: number } |
  { skipped: 'download_failed'; message: string };

/** Reads the stream while hashing it; stops as soon as it passes `maxBytes`. */
async function readHashed(chunks: AsyncIterable<Uint8Array>, maxBytes: number) {
  const hash = createHash('sha256');
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) return { tooLarge: true as const, total };
    hash.update(chunk);
    parts.push(chunk);
  }
  return { tooLarge: false as const, total, sha256: hash.digest('hex'), bytes: Buffer.concat(parts) };
}

const FIND = 'select id from public.media where sha256 = $1';

/**
 * Archives one media item: streams it while hashing, reuses the media row of an identical file,
 * otherwise stores the object at `{sha256}/original.<ext>` and then creates its row (so a row never
 * points at a missing object). Items over `maxBytes` are not downloaded past the limit.
 */
export async function archiveMedia(
  db: Pick<pg.Pool, 'query'>,
  store: MediaStore,
  ref: MediaRef,
  open: () => Promise<AsyncIterable<Uint8Array>>,
  maxBytes: number,
): Promise<MediaOutcome> {
  if (ref.fileLength !== null && ref.fileLength > maxBytes) return { skipped: 'too_large', bytes: ref.fileLength };
  let read;
  try {
    read = await readHashed(await open(), maxBytes);
  } catch (error) {
    return { skipped: 'download_failed', message: (error as Error).message };
  }
  if (read.tooLarge) return { skipped: 'too_large', bytes: read.total };
  const existing = await db.query<{ id: string }>(FIND, [read.sha256]);
  if (existing.rows[0]) return { mediaId: existing.rows[0].id, reused: true };
  const key = mediaKey(read.sha256, ref.mime);
  await store.put(key, read.bytes, ref.mime);
  const inserted = await db.query<{ id: string }>(
    `insert into public.media (sha256, mime, bytes, width, height, duration_s, storage_path, meta)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (sha256) do nothing returning id`,
    [read.sha256, ref.mime, read.total, ref.width, ref.height, ref.durationS, `${MEDIA_BUCKET}/${key}`, JSON.stringify(ref.fileName ? { fileName: ref.fileName } : {})],
  );
  if (inserted.rows[0]) return { mediaId: inserted.rows[0].id, reused: false };
  // Another ingest stored the same file between our lookup and insert: its row is committed now.
  const winner = await db.query<{ id: string }>(FIND, [read.sha256]);
  return { mediaId: winner.rows[0]!.id, reused: true };
}
