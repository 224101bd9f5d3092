import { randomUUID } from 'node:crypto';
import type { Pool } from '../db/pool.js';
import type { UserClaims } from '../db/with-user.js';
import { InputError, NotFoundError } from '../errors.js';
import { queueOutbound } from './outbox/enqueue.js';
import type { QueuedSend } from './send-text.js';

export interface SendReactionInput {
  workspaceId: string;
  threadId: string;
  /** The thread message reacted to (wabase's id). */
  messageId: string;
  /** One emoji; empty removes the business's reaction. */
  emoji: string;
  idempotencyKey?: string | null | undefined;
}

/**
 * An agent's reaction (issue 17): free-form, so only inside the customer service window; the
 * message must be in the thread and known to WhatsApp (have a wamid). Queued through the outbox
 * (`{type: 'reaction', reaction: {message_id, emoji}}`) with no thread message of its own: the
 * business's reaction on the message is set (or removed) in the same transaction. `messageId` in
 * the answer is the reacted message. Without a key every request is its own send (reacting,
 * removing and reacting again within a minute are three sends, not one).
 */
export async function queueReaction(pool: Pool, user: UserClaims, input: SendReactionInput, ratePerMinute: number): Promise<QueuedSend> {
  const queued = await queueOutbound(pool, user, {
    workspaceId: input.workspaceId,
    threadId: input.threadId,
    idempotencyKey: input.idempotencyKey?.trim() || `reaction:${randomUUID()}`,
    payload: {},
    fingerprint: JSON.stringify(['reaction', input.messageId, input.emoji]),
    needsWindow: true,
    message: null,
    async check(client, thread) {
      const target = (await client.query<{ wa_message_id: string | null }>(
        'select wa_message_id from public.wa_messages where id = $1 and thread_id = $2',
        [input.messageId, thread.id],
      )).rows[0];
      if (!target) throw new NotFoundError('message_not_found', 'messageId: no such message in this thread');
      if (!target.wa_message_id) throw new InputError('messageId: that message has not reached WhatsApp yet', 'message_not_sent');
      return { payload: { type: 'reaction', reaction: { message_id: target.wa_message_id, emoji: input.emoji } } };
    },
    async after(client, thread) {
      if (input.emoji) {
        await client.query(
          `insert into public.wa_message_reactions (message_id, direction, workspace_id, thread_id, emoji, reacted_at)
           values ($1, 'out', $2, $3, $4, now())
           on conflict (message_id, direction) do update set emoji = excluded.emoji, reacted_at = excluded.reacted_at`,
          [input.messageId, input.workspaceId, thread.id, input.emoji],
        );
      } else {
        await client.query('delete from public.wa_message_reactions where message_id = $1 and direction = \'out\'', [input.messageId]);
      }
    },
  }, ratePerMinute);
  return { ...queued, messageId: input.messageId };
}
