import { createHash } from 'node:crypto';

/** One thing Meta told us, with the stable key it is deduplicated on. */
export type WebhookEvent =
  | { kind: 'message'; phoneNumberId: string; key: string; message: MetaMessage; contactName: string | null; raw: unknown } |
  { kind: 'status'; phoneNumberId: string; key: string; status: MetaStatus; raw: unknown } |
  { kind: 'other'; phoneNumberId: string | null; key: string; raw: unknown };

export interface MetaMessage {
  id: string;
  from: string;
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
  errors?: { code?: number; title?: string; message?: string; error_data?: { details?: string } }[];
}

type Json = Record<string, unknown>;
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
  const entries = list(obj(body)?.entry);
  if (entries.length === 0) return [{ kind: 'other', phoneNumberId: null, key: `body:${hash(body)}`, raw: body }];
  for (const entry of entries) {
    for (const change of list(obj(entry)?.changes)) {
      const value = obj(obj(change)?.value);
      const phoneNumberId = obj(value?.metadata)?.phone_number_id;
      const pnid = typeof phoneNumberId === 'string' || typeof phoneNumberId === 'number' ? String(phoneNumberId) : null;
      const messages = list(value?.messages);
      const statuses = list(value?.statuses);
      const contacts = list(value?.contacts).map(obj);
      for (const raw of messages) {
        const message = obj(raw) as MetaMessage | null;
        if (!pnid || !message || typeof message.id !== 'string' || typeof message.from !== 'string') {
          events.push({ kind: 'other', phoneNumberId: pnid, key: `change:${hash(raw)}`, raw });
          continue;
        }
        const contact = contacts.find((c) => c?.wa_id === message.from);
        const name = obj(contact?.profile)?.name;
        events.push({ kind: 'message', phoneNumberId: pnid, key: `msg:${message.id}`, message, contactName: typeof name === 'string' ? name : null, raw });
      }
      for (const raw of statuses) {
        const status = obj(raw) as MetaStatus | null;
        if (!pnid || !status || typeof status.id !== 'string' || typeof status.status !== 'string') {
          events.push({ kind: 'other', phoneNumberId: pnid, key: `change:${hash(raw)}`, raw });
          continue;
        }
        events.push({ kind: 'status', phoneNumberId: pnid, key: `status:${status.id}:${status.status}`, status, raw });
      }
      if (messages.length === 0 && statuses.length === 0) {
        events.push({ kind: 'other', phoneNumberId: pnid, key: `change:${hash(change)}`, raw: change });
      }
    }
  }
  return events;
}

/** The text of a text message, when Meta sent one as a string. */
export function textOf(message: MetaMessage): string | null {
  const body = message.text?.body;
  return typeof body === 'string' ? body : null;
}

/** When Meta says an event happened (epoch seconds as a string); now when it says nothing usable. */
export function eventTime(timestamp: unknown): Date {
  const at = new Date(Number(timestamp) * 1000);
  return timestamp !== undefined && Number.isFinite(at.getTime()) && at.getUTCFullYear() < 10000 ? at : new Date();
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
