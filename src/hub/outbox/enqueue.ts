import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { Pool } from '../../db/pool.js';
import { takeRateLimitSlot } from '../../db/rate-limit.js';
import { withTransaction } from '../../db/tx.js';
import { type UserClaims, withUser } from '../../db/with-user.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { resolveConnectionForThread, type ConnectionRef, type ThreadRef } from '../connections.js';
import { assertCustomerWindowOpen } from '../customer-window.js';

/** Channel the outbox worker listens on. */
export const OUTBOX_CHANNEL = 'wabase_outbox';

export interface QueuedSend {
  queued: true;
  outboxId: string;
  messageId: string;
  /** True when this key was queued before: nothing new was queued. */
  duplicate: boolean;
}

export interface SendThread extends ThreadRef {
  customer_window_expires_at: Date | null;
}

export interface Outbound {
  workspaceId: string;
  threadId: string;
  idempotencyKey?: string | null | undefined;
  /** The Graph payload's kind-specific part (`{type: 'template', template: {…}}`). */
  payload: Record<string, unknown>;
  /** What makes two requests the same send (compared on a reused key); also the derived key's content. */
  fingerprint: string;
  /** How a 409 for a reused key names what differs besides the thread. Default `content`. */
  fingerprintName?: string;
  /** Free-form messages need the customer service window; templates do not. */
  needsWindow: boolean;
  /**
   * The thread message to write with it (type, text shown, quoted wamid), or null for sends that
   * are not thread messages (a reaction).
   */
  message: { type: string; text: string | null; contextWamid?: string | null } | null;
  /**
   * Checks made in the send's transaction before anything is written (a template's status); may
   * give the payload and message then (a template's components come from its stored row).
   */
  check?: (client: PoolClient, thread: SendThread, connection: ConnectionRef) => Promise<Partial<Pick<Outbound, 'payload' | 'message'>> | void>;
  /** Writes made in the send's transaction after the outbox row (a reaction's row). */
  after?: (client: PoolClient, thread: SendThread, outboxId: string) => Promise<void>;
}

class KeyTaken extends Error {}

/** The thread as the caller may see it (under RLS); 404 otherwise. */
export async function threadForSend(pool: Pool, user: UserClaims, workspaceId: string, threadId: string): Promise<SendThread> {
  const thread = await withUser(pool, user, async (client) =>
    (await client.query<SendThread>(
      `select id, workspace_id, phone_number_id, connection_id, contact_wa_id, customer_window_expires_at
       from public.wa_threads where id = $1 and workspace_id = $2`,
      [threadId, workspaceId],
    )).rows[0]);
  if (!thread) throw new NotFoundError('thread_not_found', 'Thread not found in this workspace');
  return thread;
}

async function queuedUnder(pool: Pool, key: string, outbound: Outbound): Promise<QueuedSend | null> {
  // Text sends queued before the fingerprint was stored carry their content as the body only.
  const row = (await pool.query<{ id: string; message_id: string | null; thread_id: string; fingerprint: string | null }>(
    `select id, message_id, thread_id, coalesce(payload ->> 'wabase_fingerprint', payload #>> '{text,body}') as fingerprint
     from public.outbox_messages where idempotency_key = $1`,
    [key],
  )).rows[0];
  if (!row) return null;
  const differs = [
    row.thread_id !== outbound.threadId ? 'threadId' : null,
    row.fingerprint !== outbound.fingerprint ? (outbound.fingerprintName ?? 'content') : null,
  ].filter(Boolean);
  if (differs.length > 0) {
    throw new ConflictError('idempotency_key_reused', `idempotencyKey was already used for another message: this request differs in ${differs.join(' and ')}`);
  }
  return { queued: true, outboxId: row.id, messageId: row.message_id ?? row.id, duplicate: true };
}

/**
 * Queues one outbound send through the outbox, as send-text does: membership (RLS), the same
 * idempotency rules (the key, or the same content to the same thread by the same user within a
 * minute), the window when the kind needs it, the connection active, the workspace's send rate;
 * then one transaction writes the thread message (if any) and the outbox row, and wakes the worker.
 */
export async function queueOutbound(pool: Pool, user: UserClaims, outbound: Outbound, ratePerMinute: number): Promise<QueuedSend> {
  const thread = await threadForSend(pool, user, outbound.workspaceId, outbound.threadId);
  const minute = Math.floor(Date.now() / 60_000);
  const derived = `auto:${createHash('sha256').update([outbound.workspaceId, outbound.threadId, user.sub, outbound.fingerprint, minute].join('\u0000')).digest('hex')}`;
  const key = `${outbound.workspaceId}:${outbound.idempotencyKey?.trim() || derived}`;
  const existing = await queuedUnder(pool, key, outbound);
  if (existing) return existing;
  if (outbound.needsWindow) assertCustomerWindowOpen(thread.customer_window_expires_at);
  try {
    return await withTransaction(pool, async (client) => {
      const connection = await resolveConnectionForThread(client, thread);
      const prepared = { payload: outbound.payload, message: outbound.message, ...(await outbound.check?.(client, thread, connection)) };
      await takeRateLimitSlot(client, `send:${outbound.workspaceId}`, ratePerMinute, 60);
      const message = prepared.message
        ? (await client.query<{ id: string }>(
            `insert into public.wa_messages (workspace_id, thread_id, connection_id, phone_number_id, direction, type, text, status, status_at, context_wa_message_id)
             values ($1, $2, $3, $4, 'out', $5, $6, 'queued', now(), $7) returning id`,
            [outbound.workspaceId, thread.id, connection.id, connection.phone_number_id, prepared.message.type, prepared.message.text,
              prepared.message.contextWamid ?? null],
          )).rows[0]!.id
        : null;
      const outbox = await client.query<{ id: string }>(
        `insert into public.outbox_messages (workspace_id, thread_id, connection_id, message_id, to_phone, payload, idempotency_key)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (idempotency_key) do nothing returning id`,
        [outbound.workspaceId, thread.id, connection.id, message, thread.contact_wa_id,
          JSON.stringify({ ...prepared.payload, wabase_fingerprint: outbound.fingerprint }), key],
      );
      if (!outbox.rows[0]) throw new KeyTaken();
      await outbound.after?.(client, thread, outbox.rows[0].id);
      if (prepared.message?.text) {
        await client.query(
          'update public.wa_threads set last_message_preview = left($2, 500), last_message_at = now(), updated_at = now() where id = $1',
          [thread.id, prepared.message.text],
        );
      }
      await client.query('select pg_notify($1, $2)', [OUTBOX_CHANNEL, outbound.workspaceId]);
      return { queued: true as const, outboxId: outbox.rows[0].id, messageId: message ?? outbox.rows[0].id, duplicate: false };
    });
  } catch (error) {
    if (error instanceof KeyTaken) return (await queuedUnder(pool, key, outbound))!;
    throw error;
  }
}
