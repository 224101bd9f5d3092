import { containsPattern } from '../db/like.js';
import type { Pool } from '../db/pool.js';
import { NotFoundError } from '../errors.js';
import { MEDIA_BUCKET, type MediaStore, signedUrlExpiry } from '../storage/store.js';
import { beforeCondition, nextBefore } from '../db/cursor.js';
import type { MessageKind } from './ingest/wa-message.js';

export interface MessageQuery {
  groupId?: string;
  kind?: MessageKind;
  /** Text search (uses the trigram index for 3+ characters). */
  q?: string;
  /** Cursor: an ISO timestamp, or the `nextBefore` of the previous page (`<ts>~<id>`). */
  before?: string;
  /** 1..200, default 50. */
  limit?: number;
}

interface Row {
  id: string; waMsgId: string; ts: Date; cursor: string; chatId: string;
  sender: string; senderPn: string | null; senderName: string | null; kind: MessageKind; text: string | null;
  groupId: string | null; groupName: string | null; parentId: string | null;
  mediaId: string | null; sha256: string | null; mime: string | null; bytes: string | null;
  width: number | null; height: number | null; durationS: string | null; storagePath: string | null; fileName: string | null;
}

const SELECT = `
  select m.id, m.wa_msg_id as "waMsgId", m.ts, to_json(m.ts) #>> '{}' as cursor, m.chat_id as "chatId", m.sender, m.kind, m.text,
         coalesce(m.sender_pn, lm.pn) as "senderPn", nullif(m.raw->>'pushName', '') as "senderName",
         m.group_id as "groupId", g.name as "groupName", m.parent_id as "parentId",
         md.id as "mediaId", md.sha256, md.mime, md.bytes, md.width, md.height, md.duration_s as "durationS",
         md.storage_path as "storagePath", md.meta->>'fileName' as "fileName"
    from public.messages m
    left join public.media md on md.id = m.media_id
    left join public.groups g on g.id = m.group_id
    -- A lid stored before its phone was known: resolved now (one primary-key probe per row).
    left join public.wa_lid_map lm on m.sender_pn is null and lm.lid = m.sender`;

/**
 * Archived messages, newest first, each joined with its media and a signed URL valid for
 * `ttlSeconds`. A group filter becomes a chat_id condition so the (chat_id, ts desc) index
 * serves the page.
 */
export async function listMessages(pool: Pool, store: MediaStore, ttlSeconds: number, query: MessageQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  // The group's chat id is looked up inside the query (one round trip), and the page is still an
  // index range scan on (chat_id, ts desc).
  if (query.groupId) where.push(`m.chat_id = (select wa_group_id from public.groups where id = ${param(query.groupId)})`);
  if (query.kind) where.push(`m.kind = ${param(query.kind)}`);
  if (query.q) where.push(`m.text ilike ${param(containsPattern(query.q))}`);
  if (query.before) {
    where.push(beforeCondition(query.before, 'm.ts', 'm.id', param));
  }
  const limit = query.limit ?? 50;
  const sql = `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by m.ts desc, m.id desc limit ${param(limit)}`;
  const { rows } = await pool.query<Row>(sql, params);
  if (rows.length === 0 && query.groupId) {
    const group = await pool.query('select 1 from public.groups where id = $1', [query.groupId]);
    if (group.rowCount === 0) throw new NotFoundError('group_not_found', 'Group not found');
  }

  const prefix = `${MEDIA_BUCKET}/`;
  const keyOf = (path: string) => (path.startsWith(prefix) ? path.slice(prefix.length) : path);
  const urls = await store.signedUrls(rows.flatMap((row) => (row.storagePath ? [keyOf(row.storagePath)] : [])), ttlSeconds);
  const expiresAt = new Date(signedUrlExpiry(ttlSeconds) * 1000).toISOString();
  return {
    items: rows.map((row) => ({
      id: row.id,
      waMsgId: row.waMsgId,
      ts: row.ts.toISOString(),
      chatId: row.chatId,
      groupId: row.groupId,
      groupName: row.groupName,
      sender: row.sender,
      senderPn: row.senderPn,
      senderName: row.senderName,
      kind: row.kind,
      text: row.text,
      parentId: row.parentId,
      media: row.mediaId
        ? {
            id: row.mediaId,
            sha256: row.sha256!,
            mime: row.mime!,
            bytes: Number(row.bytes),
            width: row.width,
            height: row.height,
            durationS: row.durationS === null ? null : Number(row.durationS),
            fileName: row.fileName,
            url: urls.get(keyOf(row.storagePath!)) ?? null,
            expiresAt,
          }
        : null,
    })),
    nextBefore: nextBefore(rows, limit),
  };
}
