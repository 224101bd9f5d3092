import type { Pool, PoolClient } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { Logger } from '../../log.js';
import { extractEvents, type MetaMessage, type MetaStatus, previewOf, type WebhookEvent } from './events.js';

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

/** Rank of a message status: a status only ever moves forward; failed is terminal. */
const RANK_SQL = `case $1::text when 'queued' then 0 when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 when 'failed' then 4 else -1 end`;
const CURRENT_RANK_SQL = `case m.status when 'queued' then 0 when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 when 'failed' then 4 else 0 end`;

async function storeEvent(client: PoolClient, workspaceId: string, event: WebhookEvent): Promise<boolean> {
  const result = await client.query(
    `insert into public.meta_webhook_events (workspace_id, event_key, payload, processed_at)
     values ($1, $2, $3, now()) on conflict (workspace_id, event_key) do nothing`,
    [workspaceId, event.key, JSON.stringify(event.raw)],
  );
  return result.rowCount === 1;
}

async function ingestMessage(client: PoolClient, connection: Connection, message: MetaMessage, contactName: string | null): Promise<void> {
  const at = message.timestamp ? new Date(Number(message.timestamp) * 1000) : new Date();
  const preview = previewOf(message);
  const thread = await client.query<{ id: string }>(
    `insert into public.wa_threads as t
       (workspace_id, connection_id, phone_number_id, contact_wa_id, contact_name, unread_count, last_message_preview, last_message_at)
     values ($1, $2, $3, $4, $5, 1, $6, $7)
     on conflict (workspace_id, phone_number_id, contact_wa_id) do update set
       connection_id = excluded.connection_id,
       contact_name = coalesce(excluded.contact_name, t.contact_name),
       unread_count = t.unread_count + 1,
       last_message_preview = case when t.last_message_at is null or excluded.last_message_at >= t.last_message_at
                                   then excluded.last_message_preview else t.last_message_preview end,
       last_message_at = greatest(t.last_message_at, excluded.last_message_at),
       updated_at = now()
     returning id`,
    [connection.workspace_id, connection.id, connection.phone_number_id, message.from, contactName, preview, at],
  );
  await client.query(
    `insert into public.wa_messages
       (workspace_id, thread_id, connection_id, phone_number_id, wa_message_id, direction, type, text, payload, status, status_at, created_at)
     values ($1, $2, $3, $4, $5, 'in', $6, $7, $8, 'received', $9, $9)
     on conflict (workspace_id, wa_message_id) do nothing`,
    [connection.workspace_id, thread.rows[0]!.id, connection.id, connection.phone_number_id, message.id, message.type ?? 'unknown',
      message.text?.body ?? null, JSON.stringify(message), at],
  );
}

async function ingestStatus(client: PoolClient, connection: Connection, status: MetaStatus): Promise<void> {
  const error = status.errors?.[0];
  const at = status.timestamp ? new Date(Number(status.timestamp) * 1000) : new Date();
  await client.query(
    `update public.wa_messages m set
       status = $1, status_at = $2,
       error_code = case when $1 = 'failed' then $3 else m.error_code end,
       error_message = case when $1 = 'failed' then $4 else m.error_message end
     where m.workspace_id = $5 and m.wa_message_id = $6 and m.status <> 'failed' and ${RANK_SQL} > ${CURRENT_RANK_SQL}`,
    [status.status, at, error?.code === undefined ? null : String(error.code),
      error ? (error.error_data?.details ?? error.message ?? error.title ?? null) : null, connection.workspace_id, status.id],
  );
}

/**
 * Ingests one webhook POST in one transaction: each event routed by phone_number_id to its
 * connection (unknown or inactive: kept as an orphan), deduplicated on its stable key, and applied
 * (thread upsert and message insert, or a forward-only status change).
 */
export async function ingestWebhook(pool: Pool, body: unknown, log: Pick<Logger, 'warn' | 'info'>): Promise<IngestResult> {
  const events = extractEvents(body);
  const numbers = [...new Set(events.map((event) => event.phoneNumberId).filter((id): id is string => id !== null))];
  return withTransaction(pool, async (client) => {
    const connections = new Map(
      (await client.query<Connection>(
        'select id, workspace_id, phone_number_id, status from public.wa_phone_numbers where phone_number_id = any($1)',
        [numbers],
      )).rows.map((row) => [row.phone_number_id, row]),
    );
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
      if (!(await storeEvent(client, connection.workspace_id, event))) {
        result.duplicates++;
        continue;
      }
      result.stored++;
      if (event.kind === 'message') await ingestMessage(client, connection, event.message, event.contactName);
      else if (event.kind === 'status') await ingestStatus(client, connection, event.status);
      else log.info({ eventKey: event.key }, 'webhook change of a shape wabase does not act on: stored');
    }
    return result;
  });
}
