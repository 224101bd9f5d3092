import type { Pool } from '../../db/pool.js';
import { AppError } from '../../errors.js';
import { toDatabaseJson } from '../../db/json.js';
import { type DeferredSignals, publishHubEvents } from '../realtime/publish.js';
import { type DeferredOutcome, ingestPostJson, type PostOutcome } from './ingest.js';

export interface BatcherOptions {
  /**
   * Database calls in flight at once (each holds one pool connection). Default 2. A call beyond the
   * first starts only when a full batch (maxBatch) is waiting: two calls at once contend for the
   * same thread rows and halve each other's batches, which cost ~10 % of throughput on the bench
   * (one call: 1,174–1,476 POSTs/s; two: 929–1,269), so the second is for a backlog (one
   * very large POST in flight, say), not for the steady state. The rest of the pool stays free
   * for the API.
   */
  maxInFlight?: number;
  /** POSTs per call at most. Default 32. */
  maxBatch?: number;
  /** Events per call at most (a single larger POST still goes, alone). Default 1,000. */
  maxEvents?: number;
  /**
   * POSTs waiting at most; past it a POST is answered 503 at once (Meta re-delivers), so a stalled
   * database cannot pile up memory. Default 5,000.
   */
  maxQueued?: number;
  /** A failed NOTIFY of committed changes' realtime events (open inboxes miss that update until their next re-read). */
  onPublishError?: (error: unknown) => void;
}

interface Waiting {
  /** The events as JSON text for the database, made when the POST arrived (so a POST that cannot be serialized fails alone). */
  json: string;
  count: number;
  resolve(outcome: PostOutcome): void;
  reject(error: unknown): void;
}

type BatchResult = DeferredOutcome | { error: { code: string; message: string } };

/**
 * Coalesces webhook POSTs that arrive while the database is busy into one call of
 * `ingest_meta_webhook_posts_deferred`: one round trip, one commit and (when they can share one)
 * one statement for all of them; when that statement fails, each POST in its own subtransaction
 * (atomic alone; a failing one does not take the others down). The
 * realtime events of what committed are NOTIFYed right after, outside the ingest transaction. Nothing
 * waits on a timer: with a free slot a POST goes at once, alone. A POST whose subtransaction
 * failed (a deadlock with a concurrent batch, say) is retried once on its own, and so is every
 * POST of a call that failed as a whole.
 */
export function webhookBatcher(pool: Pool, options: BatcherOptions = {}) {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxBatch = options.maxBatch ?? 32;
  const maxEvents = options.maxEvents ?? 1000;
  const maxQueued = options.maxQueued ?? 5000;
  const queue: Waiting[] = [];
  let inFlight = 0;

  // The realtime events of what committed, NOTIFYed after the commit: one statement per call.
  const publish = (signals: DeferredSignals[]) => {
    if (signals.length > 0) void publishHubEvents(pool, signals).catch((error: unknown) => options.onPublishError?.(error));
  };
  const settle = (waiting: Waiting, { hubEvents, mediaJobs, ...outcome }: DeferredOutcome, events: DeferredSignals[]) => {
    events.push({ hubEvents, mediaJobs });
    waiting.resolve(outcome);
  };
  const alone = async (waiting: Waiting, events: DeferredSignals[]) => {
    try {
      settle(waiting, await ingestPostJson(pool, waiting.json), events);
    } catch (error) {
      waiting.reject(error);
    }
  };

  async function send(batch: Waiting[]): Promise<void> {
    const events: DeferredSignals[] = [];
    if (batch.length === 1) {
      await alone(batch[0]!, events);
      publish(events);
      return;
    }
    let results: BatchResult[] | null = null;
    try {
      const { rows } = await pool.query<{ results: BatchResult[] }>(
        'select public.ingest_meta_webhook_posts_deferred($1::jsonb) as results', [`[${batch.map((w) => w.json).join(',')}]`]);
      results = rows[0]!.results;
    } catch {
      // The shared call failed as a whole (something no subtransaction catches: the parameter, a
      // resource limit, the connection). Whose fault it was is unknown: each POST is retried alone,
      // so only a POST that fails by itself (or a database that is down) is answered 5xx.
    }
    // The batch committed: its events go out now, not after the retries below.
    for (const [i, waiting] of batch.entries()) {
      const result = results?.[i];
      if (result && !('error' in result)) settle(waiting, result, events);
    }
    publish(events.splice(0));
    // Retries go one after another, on this call's slot, so maxInFlight still bounds the connections.
    for (const [i, waiting] of batch.entries()) {
      const result = results?.[i];
      if (!result || 'error' in result) await alone(waiting, events);
    }
    publish(events);
  }

  /** The next batch: at least one POST, then more while they fit. */
  function take(): Waiting[] {
    let events = queue[0]!.count;
    let count = 1;
    while (count < queue.length && count < maxBatch && events + queue[count]!.count <= maxEvents) {
      events += queue[count]!.count;
      count++;
    }
    return queue.splice(0, count);
  }

  function pump(): void {
    while (queue.length > 0 && (inFlight === 0 || (inFlight < maxInFlight && queue.length >= maxBatch))) {
      inFlight++;
      void send(take()).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    /** Ingests one POST's events (as `sqlEvents` gives them); resolves once they are committed. */
    ingest(events: Record<string, unknown>[]): Promise<PostOutcome> {
      if (queue.length >= maxQueued) {
        return Promise.reject(new AppError('ingest_overloaded', 'webhook ingest is behind the database: retry later', 503));
      }
      let json: string;
      try {
        json = toDatabaseJson(events);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise((resolve, reject) => {
        queue.push({ json, count: events.length, resolve, reject });
        pump();
      });
    },
  };
}
