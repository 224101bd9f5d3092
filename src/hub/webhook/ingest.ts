import pg from 'pg';
import type { Pool, PoolClient } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { Logger } from '../../log.js';
import { eventTime, extractEvents, previewOf, textOf, type WebhookEvent } from './events.js';

export interface IngestResult {
  /** Events stored for the first time. */
  stored: number;
  /** Events seen before (Meta re-delivers). */
  duplicates: number;
  /** Events for numbers we do not serve (kept in orphan_webhook_events). */
  orphans: number;
}

interface Connection {
  id: string;
  workspace_id: string;
  phone_number_id: string;
  status: string;
}

/** Rank of a message status: a status only moves forward (queued < sent < delivered < read); failed is terminal. */
const rank = (expr: string, otherwise: number) =>
  `case ${expr} when 'queued' then 0 when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 when 'failed' then 4 else ${otherwise} end`;
/** The incoming status ($4 of the status statement); an unknown one ranks below all and changes nothing. */
const RANK_SQL = rank('$4::text', -1);
const CURRENT_RANK_SQL = rank('m.status', 0);

/** Stores an event once per (workspace, key): $1 workspace, $2 key, $3 payload; returns id when new. */
const INSERT_EVENT = `insert into public.meta_webhook_events (workspace_id, event_key, payload, processed_at)
  values ($1, $2, $3, now()) on conflict (workspace_id, event_key) do nothing`;

/**
 * One round trip per event: the event row is stored (or found a duplicate) and, only when new,
 * the thread is upserted and the message inserted, in one data-modifying statement.
 */
async function ingestMessage(client: PoolClient, connection: Connection, event: Extract<WebhookEvent, { kind: 'message' }>): Promise<boolean> {
  const { message } = event;
  const at = eventTime(message.timestamp);
  const result = await client.query<{ stored: number }>(
    `with ev as (${INSERT_EVENT} returning id), th as (
       insert into public.wa_threads as t
         (workspace_id, connection_id, phone_number_id, contact_wa_id, contact_name, unread_count, last_message_preview, last_message_at)
       select $1, $4, $5, $6, $7, 1, $8, $9 from ev
       on conflict (workspace_id, phone_number_id, contact_wa_id) do update set
         connection_id = excluded.connection_id,
         contact_name = coalesce(excluded.contact_name, t.contact_name),
         unread_count = t.unread_count + 1,
         last_message_preview = case when t.last_message_at is null or excluded.last_message_at >= t.last_message_at
                                     then excluded.last_message_preview else t.last_message_preview end,
         last_message_at = greatest(t.last_message_at, excluded.last_message_at),
         updated_at = now()
       returning t.id
     ), msg as (
       insert into public.wa_messages
         (workspace_id, thread_id, connection_id, phone_number_id, wa_message_id, direction, type, text, payload, status, status_at, created_at)
       select $1, th.id, $4, $5, $10, 'in', $11, $12, $3, 'received', $9, $9 from th
       on conflict (workspace_id, wa_message_id) do nothing
     )
     select count(*)::int as stored from ev`,
    [connection.workspace_id, event.key, JSON.stringify(event.raw), connection.id, connection.phone_number_id, message.from,
      event.contactName, previewOf(message), at, message.id, typeof message.type === 'string' ? message.type : 'unknown', textOf(message)],
  );
  return result.rows[0]!.stored === 1;
}

/** Stores a status event and, only when new, moves its message forward (never back; failed is terminal). */
async function ingestStatus(client: PoolClient, connection: Connection, event: Extract<WebhookEvent, { kind: 'status' }>): Promise<boolean> {
  const { status } = event;
  const error = status.errors?.[0];
  const result = await client.query<{ stored: number }>(
    `with ev as (${INSERT_EVENT} returning id), upd as (
       update public.wa_messages m set
         status = $4, status_at = $5,
         error_code = case when $4 = 'failed' then $6 else m.error_code end,
         error_message = case when $4 = 'failed' then $7 else m.error_message end
       where exists (select 1 from ev) and m.workspace_id = $1 and m.wa_message_id = $8 and m.status <> 'failed'
         and ${RANK_SQL} > ${CURRENT_RANK_SQL}
     )
     select count(*)::int as stored from ev`,
    [connection.workspace_id, event.key, JSON.stringify(event.raw), status.status, eventTime(status.timestamp),
      error?.code === undefined ? null : String(error.code),
      error ? (error.error_data?.details ?? error.message ?? error.title ?? null) : null, status.id],
  );
  return result.rows[0]!.stored === 1;
}

async function storeOther(client: PoolClient, workspaceId: string, event: WebhookEvent): Promise<boolean> {
  const result = await client.query(INSERT_EVENT, [workspaceId, event.key, JSON.stringify(event.raw)]);
  return result.rowCount === 1;
}

/**
 * Ingests one webhook POST in one transaction: each event routed by phone_number_id to its
 * connection (unknown or inactive: kept as an orphan), deduplicated on its stable key, and applied
 * (thread upsert and message insert, or a forward-only status change).
 */
export async function ingestWebhook(pool: Pool, body: unknown, log: Pick<Logger, 'warn' | 'info'>): Promise<IngestResult> {
  const events = extractEvents(body);
  const numbers = [...new Set(events.map((event) => event.phoneNumberId).filter((id): id is string => id !== null))];
  // The routing lookup travels with begin: one round trip (numbers quoted by the driver).
  const quoted = numbers.map((number) => pg.escapeLiteral(number)).join(', ');
  const lookup = `select id, workspace_id, phone_number_id, status from public.wa_phone_numbers
    where phone_number_id = any(array[${quoted}]::text[])`;
  return withTransaction(pool, async (client, rows) => {
    const connections = new Map((rows as Connection[]).map((row) => [row.phone_number_id, row]));
    const result: IngestResult = { stored: 0, duplicates: 0, orphans: 0 };
    for (const event of events) {
      const connection = event.phoneNumberId ? connections.get(event.phoneNumberId) : undefined;
      if (!connection || connection.status !== 'active') {
        const reason = !event.phoneNumberId ? 'no_phone_number_id' : connection ? 'connection_inactive' : 'unknown_phone_number_id';
        await client.query(
          `insert into public.orphan_webhook_events (phone_number_id, event_key, payload, reason) values ($1, $2, $3, $4)
           on conflict do nothing`,
          [event.phoneNumberId, event.key, JSON.stringify(event.raw), reason],
        );
        log.warn({ phoneNumberId: event.phoneNumberId, eventKey: event.key, reason }, 'orphan event: no active connection for this number');
        result.orphans++;
        continue;
      }
      const stored = event.kind === 'message'
        ? await ingestMessage(client, connection, event)
        : event.kind === 'status'
          ? await ingestStatus(client, connection, event)
          : await storeOther(client, connection.workspace_id, event);
      if (!stored) {
        result.duplicates++;
        continue;
      }
      result.stored++;
      if (event.kind === 'other') log.info({ eventKey: event.key }, 'webhook change of a shape wabase does not act on: stored');
    }
    return result;
  }, { prelude: lookup });
}
