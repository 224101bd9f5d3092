import { createHash } from 'node:crypto';
import type { Pool } from '../db/pool.js';
import { takeRateLimitSlot } from '../db/rate-limit.js';
import { withTransaction } from '../db/tx.js';
import { type UserClaims, withUser } from '../db/with-user.js';
import type { PoolClient } from 'pg';
import { ConflictError, InputError, NotFoundError } from '../errors.js';
import { resolveConnectionForThread, type ThreadRef } from './connections.js';
import { assertCustomerWindowOpen } from './customer-window.js';

export interface SendTextInput {
  workspaceId: string;
  threadId: string;
  text: string;
  idempotencyKey?: string | null;
  /** A message of the thread to quote (wabase's id): sent with `context.message_id`. */
  replyTo?: string | null;
}

export interface QueuedSend {
  queued: true;
  outboxId: string;
  messageId: string;
  /** True when this key was queued before: nothing new was queued. */
  duplicate: boolean;
}

/** Channel the outbox worker listens on. */
export const OUTBOX_CHANNEL = 'wabase_outbox';

/**
 * A key for requests that bring none: the same text to the same thread from the same user within
 * one minute is one send (a double click, a client retry), not two.
 */
function derivedKey(input: SendTextInput, userId: string): string {
  const minute = Math.floor(Date.now() / 60_000);
  return `auto:${createHash('sha256').update([input.workspaceId, input.threadId, userId, input.text, minute].join('\u0000')).digest('hex')}`;
}

/**
 * Queues a text reply: the caller must be a member (the thread is read under RLS), the thread's
 * connection must exist and be active, the workspace under its send rate; then one transaction
 * writes the outbound message and its outbox row. The same idempotency key returns the same ids.
 */
/**
 * The send already queued under `key`, if any. The same key with other content (another thread or
 * text) is not a retry: 409 idempotency_key_reused rather than silently dropping the new message.
 */
async function queuedUnder(pool: Pool, key: string, input: SendTextInput): Promise<QueuedSend | null> {
  const row = (await pool.query<{ id: string; message_id: string; thread_id: string; body: string | null }>(
    'select id, message_id, thread_id, payload #>> \'{text,body}\' as body from public.outbox_messages where idempotency_key = $1',
    [key],
  )).rows[0];
  if (!row) return null;
  const differs = [row.thread_id !== input.threadId ? 'threadId' : null, row.body !== input.text ? 'text' : null].filter(Boolean);
  if (differs.length > 0) {
    throw new ConflictError('idempotency_key_reused', `idempotencyKey was already used for another message: this request differs in ${differs.join(' and ')}`);
  }
  return { queued: true, outboxId: row.id, messageId: row.message_id, duplicate: true };
}

/** The wamid of the thread message a reply quotes; 400 naming replyTo when there is none. */
export async function quotedWamid(client: Pick<PoolClient, 'query'>, threadId: string, messageId: string): Promise<string> {
  const row = (await client.query<{ wa_message_id: string | null }>(
    'select wa_message_id from public.wa_messages where id = $1 and thread_id = $2', [messageId, threadId],
  )).rows[0];
  if (!row) throw new InputError('replyTo: no such message in this thread', 'message_not_found');
  if (!row.wa_message_id) throw new InputError('replyTo: that message has not reached WhatsApp yet', 'message_not_sent');
  return row.wa_message_id;
}

/** Thrown inside the transaction when a concurrent request queued the same key first. */
class KeyTaken extends Error {}

export async function queueText(pool: Pool, user: UserClaims, input: SendTextInput, ratePerMinute: number): Promise<QueuedSend> {
  // Membership first (the thread is read under RLS): a non-member learns nothing, not even about a key.
  const thread = await withUser(pool, user, async (client) =>
    (await client.query<ThreadRef & { customer_window_expires_at: Date | null }>(
      `select id, workspace_id, phone_number_id, connection_id, contact_wa_id, customer_window_expires_at
       from public.wa_threads where id = $1 and workspace_id = $2`,
      [input.threadId, input.workspaceId],
    )).rows[0]);
  if (!thread) throw new NotFoundError('thread_not_found', 'Thread not found in this workspace');

  // Keys are unique across the table: namespaced by workspace, one tenant's key never meets another's.
  const key = `${input.workspaceId}:${input.idempotencyKey?.trim() || derivedKey(input, user.sub)}`;
  const existing = await queuedUnder(pool, key, input);
  if (existing) return existing;
  // Free-form text goes out only inside the customer service window: refused before anything is queued.
  assertCustomerWindowOpen(thread.customer_window_expires_at);

  try {
    return await withTransaction(pool, async (client) => {
      const connection = await resolveConnectionForThread(client, thread);
      const contextWamid = input.replyTo ? await quotedWamid(client, thread.id, input.replyTo) : null;
      await takeRateLimitSlot(client, `send:${input.workspaceId}`, ratePerMinute, 60);
      const message = await client.query<{ id: string }>(
        `insert into public.wa_messages (workspace_id, thread_id, connection_id, phone_number_id, direction, type, text, status, status_at, context_wa_message_id)
         values ($1, $2, $3, $4, 'out', 'text', $5, 'queued', now(), $6) returning id`,
        [input.workspaceId, thread.id, connection.id, connection.phone_number_id, input.text, contextWamid],
      );
      const outbox = await client.query<{ id: string }>(
        `insert into public.outbox_messages (workspace_id, thread_id, connection_id, message_id, to_phone, payload, idempotency_key)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (idempotency_key) do nothing returning id`,
        [input.workspaceId, thread.id, connection.id, message.rows[0]!.id, thread.contact_wa_id,
          JSON.stringify({ type: 'text', text: { body: input.text }, ...(contextWamid ? { context: { message_id: contextWamid } } : {}) }), key],
      );
      // A concurrent request with the same key won: roll ours back (message and rate slot included).
      if (!outbox.rows[0]) throw new KeyTaken();
      await client.query(
        `update public.wa_threads set last_message_preview = left($2, 500), last_message_at = now(), updated_at = now() where id = $1`,
        [thread.id, input.text],
      );
      await client.query('select pg_notify($1, $2)', [OUTBOX_CHANNEL, input.workspaceId]);
      return { queued: true as const, outboxId: outbox.rows[0].id, messageId: message.rows[0]!.id, duplicate: false };
    });
  } catch (error) {
    if (error instanceof KeyTaken) return (await queuedUnder(pool, key, input))!;
    throw error;
  }
}
