import { toDatabaseJson } from '../../db/json.js';
import type { Pool } from '../../db/pool.js';
import type { Logger } from '../../log.js';
import { type DeferredSignals, publishHubEvents } from '../realtime/publish.js';
import { eventTime, extractEvents, indexableId, previewOf, textOf, type WebhookEvent } from './events.js';
import { readableText } from './readable-text.js';
import { templateEventFields } from './template-event.js';

export interface IngestResult {
  /** Events stored for the first time. */
  stored: number;
  /** Events seen before (Meta re-delivers). */
  duplicates: number;
  /** Events for numbers we do not serve (kept in orphan_webhook_events). */
  orphans: number;
}

/** What `ingest_meta_webhook_events` returns for one POST (migration 20261201000100). */
export interface PostOutcome {
  stored: number;
  duplicates: number;
  orphans: { phoneNumberId: string | null; eventKey: string; reason: string }[];
  others: string[];
}

/** An event as `ingest_meta_webhook_events` takes it. */
function toSqlEvent(event: WebhookEvent): Record<string, unknown> {
  const base = { kind: event.kind, key: event.key, phone_number_id: event.phoneNumberId, raw: event.raw ?? null };
  if (event.kind === 'message') {
    const { message } = event;
    const reaction = message.type === 'reaction' && message.reaction && typeof message.reaction === 'object' ? message.reaction as Record<string, unknown> : null;
    const context = message.context && typeof message.context === 'object' ? (message.context as Record<string, unknown>).id : undefined;
    return {
      ...base,
      message_id: message.id,
      from: typeof message.from === 'string' ? message.from : message.from_user_id,
      wa_id: typeof message.from === 'string' ? message.from : null,
      user_id: event.contactUserId,
      contact_name: event.contactName,
      type: typeof message.type === 'string' ? message.type : 'unknown',
      // Interactive replies, locations, contacts: stored with what a person reads, not "unsupported".
      text: textOf(message) ?? readableText(message),
      preview: readableText(message) ?? previewOf(message),
      at: eventTime(message.timestamp).toISOString(),
      context_id: typeof context === 'string' ? context : null,
      reaction_to: typeof reaction?.message_id === 'string' ? reaction.message_id : null,
      reaction_emoji: typeof reaction?.emoji === 'string' ? reaction.emoji : null,
    };
  }
  if (event.kind === 'status') {
    const { status } = event;
    const error = status.errors?.[0];
    return {
      ...base,
      message_id: status.id,
      status: status.status,
      // Both named: the number's thread learns the BSUID (migration 20261204200000).
      recipient_id: indexableId(status.recipient_id),
      recipient_user_id: indexableId(status.recipient_user_id),
      at: eventTime(status.timestamp).toISOString(),
      error_code: error?.code === undefined ? null : String(error.code),
      error_message: error ? (error.error_data?.details ?? error.message ?? error.title ?? null) : null,
      // Stored on the message as Meta sent them.
      pricing: status.pricing ?? null,
      conversation: status.conversation ?? null,
    };
  }
  if (event.kind === 'invalid') return { ...base, reason: event.reason };
  if (event.kind === 'template') return { ...base, waba_id: event.wabaId, ...templateEventFields(event.field, event.value, event.at) };
  return base;
}

/** The events of one webhook body, in the shape the ingest functions take. */
export const sqlEvents = (body: unknown) => extractEvents(body).map(toSqlEvent);

/** Logs what a POST's outcome says, and sums it up for the response. */
export function reportOutcome(outcome: PostOutcome, log: Pick<Logger, 'warn' | 'info'>): IngestResult {
  for (const orphan of outcome.orphans) log.warn(orphan, 'orphan event: no active connection for this number');
  for (const eventKey of outcome.others) log.info({ eventKey }, 'webhook change of a shape wabase does not act on: stored');
  return { stored: outcome.stored, duplicates: outcome.duplicates, orphans: outcome.orphans.length };
}

/** A POST's outcome with the realtime payloads its transaction collected, for `publishHubEvents` after it. */
export type DeferredOutcome = PostOutcome & DeferredSignals;

/** Ingests the events of one POST in one statement, then publishes its realtime events. */
export async function ingestPost(pool: Pool, events: Record<string, unknown>[]): Promise<PostOutcome> {
  const { hubEvents, mediaJobs, ...outcome } = await ingestPostJson(pool, toDatabaseJson(events));
  await publishHubEvents(pool, [{ hubEvents, mediaJobs }]);
  return outcome;
}

/**
 * One POST (the events already as JSON text, toDatabaseJson) in one statement: its own
 * transaction, one round trip. Its realtime events come back unsent (see publishHubEvents).
 */
export async function ingestPostJson(pool: Pool, json: string): Promise<DeferredOutcome> {
  const { rows } = await pool.query<{ result: DeferredOutcome }>('select public.ingest_meta_webhook_events_deferred($1::jsonb) as result', [json]);
  return rows[0]!.result;
}
