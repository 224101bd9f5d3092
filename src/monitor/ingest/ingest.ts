import { toDatabaseJson } from '../../db/json.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { MediaStore } from '../../storage/store.js';
import { bufferReplacer } from '../session/buffer-json.js';
import type { WaMessage } from '../session/port.js';
import { resolveSenders } from '../identities/sender-identities.js';
import { archiveMedia } from './media.js';
import { AUDIT, INGEST_FILTERS, INSERT_MESSAGES, LINK_PARENTS, LOCK_CHATS } from './queries.js';
import { type InboundMessage, toInbound } from './wa-message.js';

export interface IngestDeps {
  pool: Pool;
  store: MediaStore;
  /** Media larger than this is not archived (default config: 25 MB). */
  mediaMaxBytes: number;
  /** Opens the media of a message as a stream of decrypted chunks. */
  download(message: WaMessage): Promise<AsyncIterable<Uint8Array>>;
  /** Media downloads in flight at once. Default 4. */
  mediaConcurrency?: number;
}

export interface IngestResult {
  /** Messages newly stored. */
  stored: number;
  /** Group messages dropped: group not monitored or blocked, sender or keyword blocked. */
  filtered: number;
  /** Media items not archived (too large, download failed). */
  mediaSkipped: number;
}

interface Filters {
  groups: Record<string, string>;
  blockedSenders: string[];
  keywords: string[];
  haveMedia: string[];
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

/**
 * Archives a batch of Baileys messages: keeps those of monitored, unblocked groups from unblocked
 * senders without blocked keywords; archives their media (deduplicated by sha256) first, then
 * stores the messages, links captions to media and writes the audit rows in one transaction.
 * A crash before the commit leaves nothing that a replay of the same batch would not restore.
 */
export async function ingestMessages(deps: IngestDeps, batch: WaMessage[]): Promise<IngestResult> {
  const unique = new Map<string, InboundMessage>();
  for (const message of batch) {
    const inbound = toInbound(message);
    if (inbound && !unique.has(inbound.waMsgId)) unique.set(inbound.waMsgId, inbound);
  }
  const messages = [...unique.values()];
  if (messages.length === 0) return { stored: 0, filtered: 0, mediaSkipped: 0 };

  // A sender blocked by number, phone jid or lid is blocked whichever form WhatsApp sent.
  const identities = await resolveSenders(deps.pool, messages);
  const forms = (m: InboundMessage) => identities.get(m.sender)!.forms;
  const senders = [...new Set(messages.flatMap(forms))];
  const { rows } = await deps.pool.query<Filters>(INGEST_FILTERS, [[...new Set(messages.map((m) => m.chatId))], senders, messages.map((m) => m.waMsgId)]);
  const filters = rows[0]!;
  const blocked = new Set(filters.blockedSenders);
  const kept = messages.filter((m) =>
    filters.groups[m.chatId] !== undefined &&
    !forms(m).some((form) => blocked.has(form)) &&
    !filters.keywords.some((keyword) => m.text?.toLowerCase().includes(keyword)));

  const mediaIds = new Map<string, string>();
  const audits: { kind: string; detail: Record<string, unknown> }[] = [];
  const haveMedia = new Set(filters.haveMedia);
  await inParallel(kept.filter((m) => m.media && !haveMedia.has(m.waMsgId)), deps.mediaConcurrency ?? 4, async (m) => {
    const outcome = await archiveMedia(deps.pool, deps.store, m.media!, () => deps.download(m.source), deps.mediaMaxBytes);
    if ('mediaId' in outcome) mediaIds.set(m.waMsgId, outcome.mediaId);
    else {
      const detail = outcome.skipped === 'too_large' ? { bytes: outcome.bytes, max_bytes: deps.mediaMaxBytes } : { message: outcome.message };
      audits.push({ kind: 'error', detail: { reason: outcome.skipped === 'too_large' ? 'media_too_large' : 'media_download_failed', wa_msg_id: m.waMsgId, chat_id: m.chatId, ...detail } });
    }
  });

  let stored = 0;
  if (kept.length > 0) {
    const input = kept.map((m) => ({
      wa_msg_id: m.waMsgId,
      ts: m.ts.toISOString(),
      chat_id: m.chatId,
      sender: m.sender,
      sender_pn: identities.get(m.sender)!.pn,
      kind: m.kind,
      text: m.text,
      media_id: mediaIds.get(m.waMsgId) ?? null,
      group_id: filters.groups[m.chatId],
      raw: m.source,
    }));
    await withTransaction(deps.pool, async (client) => {
      await client.query(LOCK_CHATS, [[...new Set(kept.map((m) => m.chatId))]]);
      const touched = await client.query<{ id: string; inserted: boolean }>(INSERT_MESSAGES, [toDatabaseJson(input, bufferReplacer)]);
      stored = touched.rows.filter((row) => row.inserted).length;
      if (touched.rows.length > 0) await client.query(LINK_PARENTS, [touched.rows.map((row) => row.id)]);
      if (stored > 0) audits.push({ kind: 'ingest', detail: { count: stored } });
      if (audits.length > 0) await client.query(AUDIT, [toDatabaseJson(audits)]);
    });
  } else if (audits.length > 0) {
    await deps.pool.query(AUDIT, [toDatabaseJson(audits)]);
  }
  return { stored, filtered: messages.length - kept.length, mediaSkipped: audits.filter((a) => a.kind === 'error').length };
}
