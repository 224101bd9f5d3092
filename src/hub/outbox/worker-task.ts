import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import pg from 'pg';
import type { Pool } from '../../db/pool.js';
import type { Logger } from '../../log.js';
import type { WorkerTask } from '../../worker/worker.js';
import { decryptSecret } from '../crypto.js';
import { OUTSIDE_WINDOW_META_CODE } from '../customer-window.js';
import { OUTBOX_CHANNEL } from '../send-text.js';
import { backoffSeconds, type Sender, type SendOutcome } from './graph.js';
import type { MediaPreparer } from './media-payload.js';

export interface OutboxTaskOptions {
  pool: Pool;
  /** For the LISTEN connection (a pooled client cannot hold a LISTEN). */
  url: string;
  sender: Sender;
  /** Decrypts connection tokens; null in dry-run mode, where no token is needed. */
  encryptionKey: Buffer | null;
  logger: Logger;
  maxAttempts: number;
  perConnectionPerSecond: number;
  /** Rows claimed per round. Default 50. */
  batchSize?: number;
  /** Polling fallback when no NOTIFY arrives. Default 1000 ms. */
  pollMs?: number;
  /** Uploads a media message's file to Meta before it is sent (send-media); without it, payloads go as queued. */
  media?: MediaPreparer;
}

interface OutboxRow {
  id: string;
  connection_id: string | null;
  message_id: string | null;
  to_phone: string;
  payload: Record<string, unknown>;
  attempts: number;
}

interface Connection {
  id: string;
  phone_number_id: string;
  access_token_enc: string | null;
  status: string;
}

/** Spaces sends per connection at `perSecond` (Meta's throughput per number); a stop cuts the wait short. */
function pacer(perSecond: number) {
  const next = new Map<string, number>();
  return async (connectionId: string, signal: AbortSignal) => {
    const now = Date.now();
    const at = Math.max(now, next.get(connectionId) ?? now);
    next.set(connectionId, at + 1000 / perSecond);
    if (at <= now || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, at - now);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  };
}

/**
 * The outbox sender: claims due rows with claim_outbox, sends each through its own connection, and
 * records the outcome. Retryable errors requeue with backoff until maxAttempts; permanent ones fail
 * at once with the Graph error on the message. On stop, in-flight sends finish and claimed rows
 * not yet sent are released; a killed worker's rows come back when their lease expires.
 */
export function outboxTask(options: OutboxTaskOptions): WorkerTask {
  const workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const { pool, logger } = options;
  const pace = pacer(options.perConnectionPerSecond);
  let lastFlush = Date.now();

  async function connections(ids: string[]): Promise<Map<string, Connection>> {
    const result = await pool.query<Connection>(
      'select id, phone_number_id, access_token_enc, status from public.wa_phone_numbers where id = any($1)',
      [ids],
    );
    return new Map(result.rows.map((row) => [row.id, row]));
  }

  /**
   * Marks a batch's successful sends (outbox row and message) in one call, applying the statuses
   * Meta sent for those wamids before they were recorded (record_outbox_sent, migration 20261201000400).
   */
  async function recordSent(sent: { id: string; wamid: string }[]): Promise<void> {
    if (sent.length === 0) return;
    await pool.query('select public.record_outbox_sent($1::uuid[], $2::text[])', [sent.map((s) => s.id), sent.map((s) => s.wamid)]);
  }

  /** Records a failed send: requeued with backoff while retryable attempts remain, else failed. */
  async function recordFailure(row: OutboxRow, outcome: Extract<SendOutcome, { ok: false }>): Promise<void> {
    const error = `${outcome.code}: ${outcome.message}`;
    if (outcome.retryable && row.attempts < options.maxAttempts) {
      const delay = outcome.retryAfterSeconds ?? backoffSeconds(row.attempts, outcome.code);
      await pool.query(
        `update public.outbox_messages set status = 'queued', next_attempt_at = now() + make_interval(secs => $2),
           locked_at = null, locked_by = null, last_error = $3, updated_at = now() where id = $1`,
        [row.id, delay, error],
      );
      logger.warn({ outboxId: row.id, attempt: row.attempts, delay, code: outcome.code }, 'send failed; retrying');
      return;
    }
    // 131047: Meta says the customer service window is closed: the thread's window closes now too.
    await pool.query(
      `with o as (
         update public.outbox_messages set status = 'failed', locked_at = null, locked_by = null, last_error = $2, updated_at = now()
         where id = $1 returning message_id, thread_id),
       m as (
         update public.wa_messages m set status = 'failed', error_code = $3, error_message = $4, status_at = now()
         from o where m.id = o.message_id)
       update public.wa_threads t set customer_window_expires_at = least(coalesce(t.customer_window_expires_at, now()), now()), updated_at = now()
       from o where $3 = '${OUTSIDE_WINDOW_META_CODE}' and t.id = o.thread_id`,
      [row.id, error, outcome.code, outcome.message],
    );
    logger.warn({ outboxId: row.id, code: outcome.code }, 'send failed permanently');
  }

  /**
   * Sends one row unless the worker stops first (then it stays in `unsent`, to be released).
   * Successes are collected in `sent` for recordSent; failures are recorded at once.
   */
  async function sendOne(
    row: OutboxRow,
    connection: Connection | undefined,
    signal: AbortSignal,
    unsent: Set<string>,
    sent: { id: string; wamid: string }[],
  ): Promise<void> {
    let outcome: SendOutcome;
    if (!connection) outcome = { ok: false, retryable: false, code: 'connection_not_found', message: 'The connection no longer exists' };
    else if (connection.status !== 'active') {
      outcome = { ok: false, retryable: false, code: 'connection_inactive', message: 'The connection is inactive' };
    } else {
      let accessToken = '';
      if (options.encryptionKey) {
        try {
          accessToken = connection.access_token_enc ? decryptSecret(options.encryptionKey, connection.access_token_enc) : '';
        } catch {
          accessToken = '';
        }
      }
      if (options.encryptionKey && !accessToken) {
        outcome = { ok: false, retryable: false, code: 'token_missing', message: 'The connection has no usable access token' };
      } else {
        const prepared = options.media
          ? await options.media.prepare(row, connection.phone_number_id, accessToken)
          : { ok: true as const, payload: row.payload };
        if (!prepared.ok) outcome = prepared;
        else {
          await pace(connection.id, signal);
          if (signal.aborted) return;
          unsent.delete(row.id);
          outcome = await options.sender.send({ phoneNumberId: connection.phone_number_id, accessToken, to: row.to_phone, payload: prepared.payload });
        }
      }
    }
    unsent.delete(row.id);
    if (!outcome.ok) {
      await recordFailure(row, outcome);
      return;
    }
    sent.push({ id: row.id, wamid: outcome.wamid });
    // Flush often enough that a slow (paced) batch never holds many unrecorded sends.
    if (sent.length >= 50 || Date.now() - lastFlush > 200) {
      lastFlush = Date.now();
      await recordSent(sent.splice(0));
    }
  }

  /** Puts claimed rows that were not sent back in the queue, as they were. */
  async function release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await pool.query(
      `update public.outbox_messages set status = 'queued', locked_at = null, locked_by = null, attempts = greatest(attempts - 1, 0),
         updated_at = now() where id = any($1) and status = 'processing' and locked_by = $2`,
      [ids, workerId],
    );
  }

  return {
    name: 'outbox-sender',
    async run(signal) {
      // Every row of a batch may wait on pacing at once, each listening for the stop.
      setMaxListeners(1000, signal);
      const listener = new pg.Client({ connectionString: options.url, application_name: 'wabase outbox listener' });
      listener.on('error', () => {});
      let wake: (() => void) | null = null;
      listener.on('notification', () => wake?.());
      await listener.connect();
      await listener.query(`listen ${OUTBOX_CHANNEL}`);
      try {
        while (!signal.aborted) {
          const rows = (await pool.query<OutboxRow>(
            'select id, connection_id, message_id, to_phone, payload, attempts from public.claim_outbox($1, $2)',
            [options.batchSize ?? 50, workerId],
          )).rows;
          if (rows.length === 0) {
            await new Promise<void>((resolve) => {
              // Whichever comes first (timer, NOTIFY, stop) ends the wait and removes the others.
              const done = () => {
                clearTimeout(timer);
                signal.removeEventListener('abort', done);
                resolve();
              };
              const timer = setTimeout(done, options.pollMs ?? 1000);
              wake = done;
              signal.addEventListener('abort', done, { once: true });
            });
            wake = null;
            continue;
          }
          const byId = await connections([...new Set(rows.map((row) => row.connection_id).filter((id): id is string => !!id))]);
          const unsent = new Set(rows.map((row) => row.id));
          const sent: { id: string; wamid: string }[] = [];
          await Promise.all(rows.map((row) => sendOne(row, row.connection_id ? byId.get(row.connection_id) : undefined, signal, unsent, sent)));
          await recordSent(sent.splice(0));
          await release([...unsent]);
        }
      } finally {
        await listener.end().catch(() => {});
      }
    },
  };
}
