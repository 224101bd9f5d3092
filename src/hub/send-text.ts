import type { PoolClient } from 'pg';
import type { Pool } from '../db/pool.js';
import type { UserClaims } from '../db/with-user.js';
import { InputError } from '../errors.js';
import { queueOutbound, type QueuedSend } from './outbox/enqueue.js';

export interface SendTextInput {
  workspaceId: string;
  threadId: string;
  text: string;
  idempotencyKey?: string | null;
  /** A message of the thread to quote (wabase's id): sent with `context.message_id`. */
  replyTo?: string | null;
}

export { OUTBOX_CHANNEL, type QueuedSend } from './outbox/enqueue.js';

/** The wamid of the thread message a reply quotes; 400 naming replyTo when there is none. */
export async function quotedWamid(client: Pick<PoolClient, 'query'>, threadId: string, messageId: string): Promise<string> {
  const row = (await client.query<{ wa_message_id: string | null }>(
    'select wa_message_id from public.wa_messages where id = $1 and thread_id = $2', [messageId, threadId],
  )).rows[0];
  if (!row) throw new InputError('replyTo: no such message in this thread', 'message_not_found');
  if (!row.wa_message_id) throw new InputError('replyTo: that message has not reached WhatsApp yet', 'message_not_sent');
  return row.wa_message_id;
}

/**
 * Queues a text reply through the shared outbox path (queueOutbound): membership under RLS, the
 * idempotency key (or the same text to the same thread from the same user within a minute), the
 * customer service window, the connection, the send rate; `replyTo` quotes a thread message.
 */
export function queueText(pool: Pool, user: UserClaims, input: SendTextInput, ratePerMinute: number): Promise<QueuedSend> {
  const body = { type: 'text', text: { body: input.text } };
  return queueOutbound(pool, user, {
    workspaceId: input.workspaceId,
    threadId: input.threadId,
    idempotencyKey: input.idempotencyKey,
    payload: body,
    fingerprint: input.text,
    fingerprintName: 'text',
    needsWindow: true,
    message: { type: 'text', text: input.text },
    check: async (client, thread) => {
      if (!input.replyTo) return;
      const contextWamid = await quotedWamid(client, thread.id, input.replyTo);
      return { payload: { ...body, context: { message_id: contextWamid } }, message: { type: 'text', text: input.text, contextWamid } };
    },
  }, ratePerMinute);
}
