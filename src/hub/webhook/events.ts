import { createHash } from 'node:crypto';
import { HAS_TOO_DEEP, holdsTooDeep } from './parse.js';

/** One thing Meta told us, with the stable key it is deduplicated on. */
export type WebhookEvent =
  | { kind: 'message'; phoneNumberId: string; key: string; message: MetaMessage; contactName: string | null; contactUserId: string | null; raw: unknown } |
  { kind: 'status'; phoneNumberId: string; key: string; status: MetaStatus; raw: unknown } |
  /** A template's status, quality or category changed: routed by WABA (entry.id), not by number. */
  { kind: 'template'; phoneNumberId: null; wabaId: string | null; key: string; field: string; value: Json; at: unknown; raw: unknown } |
  { kind: 'other'; phoneNumberId: string | null; key: string; raw: unknown } |
  /** An event that cannot be processed or indexed as it is: kept whole, with the reason, as an orphan. */
  { kind: 'invalid'; phoneNumberId: string | null; key: string; reason: InvalidReason; raw: unknown };

export type InvalidReason = 'nesting_too_deep' | 'phone_number_id_too_long' | 'id_too_long' | 'from_too_long' | 'status_too_long';

/**
 * The longest id, number or sender (UTF-8 bytes) wabase indexes. A btree entry holds at most ~2,700
 * bytes and the widest one, wa_threads (workspace, phone_number_id, contact_wa_id), holds two of
 * these; wamids are ~60 bytes, numbers ~15.
 */
export const MAX_ID_BYTES = 512;
/** The longest status (sent, delivered, read, failed, …) kept in an event key. */
export const MAX_STATUS_BYTES = 64;

export interface MetaMessage {
  id: string;
  /** The sender's number; missing for a username user who writes with a BSUID only. */
  from?: string;
  /** The sender's business-scoped user id (BSUID), from April 2026. */
  from_user_id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: unknown };
  [field: string]: unknown;
}

export interface MetaStatus {
  id: string;
  status: string;
  timestamp?: string;
  recipient_id?: string;
  recipient_user_id?: string;
  pricing?: unknown;
  conversation?: unknown;
  errors?: { code?: number; title?: string; message?: string; error_data?: { details?: string } }[];
}

export type Json = Record<string, unknown>;
const obj = (value: unknown): Json | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value) ?? '').digest('hex').slice(0, 32);

/**
 * Flattens a webhook body (entries → changes → messages/statuses) into events keyed so that a
 * re-delivery in another batch dedupes: a message by its wamid, a status by wamid + status.
 * Anything else is kept whole under a hash of its content.
 */
export function extractEvents(body: unknown): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  // Only a body parseWebhookJson cut somewhere needs each event searched for the cut.
  const cut = Boolean(body && typeof body === 'object' && (body as Record<symbol, unknown>)[HAS_TOO_DEEP]);
  const invalid = (reason: InvalidReason, phoneNumberId: string | null, raw: unknown): WebhookEvent =>
    ({ kind: 'invalid', phoneNumberId, key: `invalid:${hash(raw)}`, reason, raw });
  const entries = list(obj(body)?.entry);
  if (entries.length === 0) {
    return [cut ? invalid('nesting_too_deep', null, body) : { kind: 'other', phoneNumberId: null, key: `body:${hash(body)}`, raw: body }];
  }
  for (const entry of entries) {
    for (const change of list(obj(entry)?.changes)) {
      const field = obj(change)?.field;
      if (typeof field === 'string' && TEMPLATE_FIELDS.has(field) && !(cut && holdsTooDeep(change))) {
        const wabaId = obj(entry)?.id;
        const time = obj(entry)?.time;
        events.push({
          kind: 'template',
          phoneNumberId: null,
          wabaId: typeof wabaId === 'string' || typeof wabaId === 'number' ? String(wabaId).slice(0, MAX_ID_BYTES) : null,
          key: `template:${hash({ time, change })}`,
          field,
          value: obj(obj(change)?.value) ?? {},
          at: time,
          raw: change,
        });
        continue;
      }
      const value = obj(obj(change)?.value);
      const phoneNumberId = obj(value?.metadata)?.phone_number_id;
      let pnid = typeof phoneNumberId === 'string' || typeof phoneNumberId === 'number' ? String(phoneNumberId) : null;
      const pnidTooLong = pnid !== null && tooLong(pnid, MAX_ID_BYTES);
      if (pnidTooLong) pnid = null;
      const messages = list(value?.messages);
      const statuses = list(value?.statuses);
      // By wa_id, first wins (as a search from the start would): one pass, not one per message.
      // A username user's contact has a user_id (BSUID) and maybe no wa_id: found by either.
      const contacts = new Map<unknown, Json | null>();
      for (const contact of list(value?.contacts).map(obj)) {
        for (const id of [contact?.wa_id, contact?.user_id]) if (id !== undefined && !contacts.has(id)) contacts.set(id, contact);
      }
      /** Why `raw` cannot be processed as it is, if it cannot. */
      const problem = (raw: unknown, ...checks: [unknown, number, InvalidReason][]): InvalidReason | null => {
        if (pnidTooLong) return 'phone_number_id_too_long';
        if (cut && holdsTooDeep(raw)) return 'nesting_too_deep';
        for (const [text, max, reason] of checks) if (typeof text === 'string' && tooLong(text, max)) return reason;
        return null;
      };
      for (const raw of messages) {
        const message = obj(raw) as MetaMessage | null;
        const reason = problem(raw, [message?.id, MAX_ID_BYTES, 'id_too_long'], [message?.from, MAX_ID_BYTES, 'from_too_long'],
          [message?.from_user_id, MAX_ID_BYTES, 'from_too_long']);
        if (reason) {
          events.push(invalid(reason, pnid, raw));
          continue;
        }
        const sender = typeof message?.from === 'string' ? message.from : typeof message?.from_user_id === 'string' ? message.from_user_id : null;
        if (!pnid || !message || typeof message.id !== 'string' || !sender) {
          events.push({ kind: 'other', phoneNumberId: pnid, key: `change:${hash(raw)}`, raw });
          continue;
        }
        const contact = contacts.get(sender) ?? (typeof message.from_user_id === 'string' ? contacts.get(message.from_user_id) : undefined);
        const name = obj(contact?.profile)?.name;
        const userId = typeof message.from_user_id === 'string' ? message.from_user_id : typeof contact?.user_id === 'string' ? contact.user_id : null;
        events.push({
          kind: 'message', phoneNumberId: pnid, key: `msg:${message.id}`, message,
          contactName: typeof name === 'string' ? name : null, contactUserId: indexableId(userId), raw,
        });
      }
      for (const raw of statuses) {
        const status = obj(raw) as MetaStatus | null;
        const reason = problem(raw, [status?.id, MAX_ID_BYTES, 'id_too_long'], [status?.status, MAX_STATUS_BYTES, 'status_too_long']);
        if (reason) {
          events.push(invalid(reason, pnid, raw));
          continue;
        }
        if (!pnid || !status || typeof status.id !== 'string' || typeof status.status !== 'string') {
          events.push({ kind: 'other', phoneNumberId: pnid, key: `change:${hash(raw)}`, raw });
          continue;
        }
        events.push({ kind: 'status', phoneNumberId: pnid, key: `status:${status.id}:${status.status}`, status, raw });
      }
      if (messages.length === 0 && statuses.length === 0) {
        const reason = problem(change);
        events.push(reason ? invalid(reason, pnid, change) : { kind: 'other', phoneNumberId: pnid, key: `change:${hash(change)}`, raw: change });
      }
    }
  }
  // An over-deep part outside every event (64 levels into an entry's own fields) is not kept.
  return events;
}

/** The fields of template webhooks (Meta "message_template_status_update" and its siblings). */
export const TEMPLATE_FIELDS = new Set(['message_template_status_update', 'message_template_quality_update', 'template_category_update']);

const tooLong = (text: string, maxBytes: number) => text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes;

/** An id wabase may look a thread up by: a string that fits an index entry, else null. */
export const indexableId = (value: unknown): string | null => (typeof value === 'string' && value !== '' && !tooLong(value, MAX_ID_BYTES) ? value : null);

/** The text of a text message, when Meta sent one as a string. */
export function textOf(message: MetaMessage): string | null {
  const body = message.text?.body;
  return typeof body === 'string' ? body : null;
}

/** When Meta says an event happened (epoch seconds as a string); now when it says nothing usable. */
export function eventTime(timestamp: unknown): Date {
  const at = new Date(Number(timestamp) * 1000);
  // Years PostgreSQL and toISOString agree on (a negative or five-digit year does not parse back).
  const year = at.getUTCFullYear();
  return timestamp !== undefined && Number.isFinite(at.getTime()) && year >= 1970 && year < 10000 ? at : new Date();
}

/** What the inbox shows for a message: its text, a caption, or its type. */
export function previewOf(message: MetaMessage): string {
  const text = textOf(message);
  if (text) return text.slice(0, 500);
  const media = obj(message[message.type ?? ''] as unknown);
  const caption = media?.caption;
  if (typeof caption === 'string' && caption) return caption.slice(0, 500);
  return `[${typeof message.type === 'string' ? message.type : 'message'}]`;
}
