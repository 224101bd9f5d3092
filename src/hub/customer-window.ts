import type pg from 'pg';
import { AppError, NotFoundError } from '../errors.js';

/**
 * WhatsApp's customer service window (issue 17): a customer's message opens 24 hours in which the
 * business may send free-form messages (text, media, reactions, interactive); outside it only an
 * approved template. The business's own messages never extend it. wa_threads keeps
 * `last_inbound_at` and `customer_window_expires_at` (= last inbound + 24 h, moved by ingest;
 * a 131047 from Meta closes it), migration 20261202160000.
 *
 * Every free-form send calls `assertCustomerWindowOpen` (or `requireOpenCustomerWindow`) before
 * anything is queued; send-template does not.
 */
export const CUSTOMER_WINDOW_HOURS = 24;

/** Meta's error for a free-form message outside the window ("Re-engagement message"). */
export const OUTSIDE_WINDOW_META_CODE = '131047';

export interface CustomerWindow {
  open: boolean;
  /** When the window closes (or closed); null when the customer never wrote. */
  expiresAt: Date | null;
}

/** The window of a thread from its `customer_window_expires_at`. */
export function customerWindowOf(expiresAt: Date | string | null, now: number = Date.now()): CustomerWindow {
  const at = expiresAt === null ? null : new Date(expiresAt);
  return { open: at !== null && at.getTime() > now, expiresAt: at };
}

/** 409 `outside_customer_service_window`, with `expiresAt` (null: the customer never wrote). */
export class OutsideCustomerWindowError extends AppError {
  constructor(expiresAt: Date | null) {
    const message = expiresAt
      ? `The customer service window closed at ${expiresAt.toISOString()}: only an approved template can be sent until the customer writes again`
      : 'The customer has not written on this thread yet: only an approved template can be sent until they do';
    super('outside_customer_service_window', message, 409, { exposed: { expiresAt: expiresAt?.toISOString() ?? null } });
  }
}

/** Throws OutsideCustomerWindowError unless the window is open at `now`. */
export function assertCustomerWindowOpen(expiresAt: Date | string | null, now: number = Date.now()): void {
  const window = customerWindowOf(expiresAt, now);
  if (!window.open) throw new OutsideCustomerWindowError(window.expiresAt);
}

/**
 * Reads the thread's window (on `db`: inside the send's transaction, or as the user under RLS) and
 * throws unless it is open. 404 thread_not_found when the thread is not there.
 */
export async function requireOpenCustomerWindow(db: Pick<pg.ClientBase, 'query'>, threadId: string): Promise<void> {
  const row = (await db.query<{ customer_window_expires_at: Date | null }>(
    'select customer_window_expires_at from public.wa_threads where id = $1',
    [threadId],
  )).rows[0];
  if (!row) throw new NotFoundError('thread_not_found', 'Thread not found');
  assertCustomerWindowOpen(row.customer_window_expires_at);
}
