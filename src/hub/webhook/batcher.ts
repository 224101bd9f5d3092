import type { Pool } from '../../db/pool.js';
import { AppError } from '../../errors.js';
import { toDatabaseJson } from '../../db/json.js';
import { ingestPost, type PostOutcome } from './ingest.js';

export interface BatcherOptions {
  /**
   * Database calls in flight at once (each holds one pool connection). Default 2: batches grow
   * with the load, so two calls already carry thousands of POSTs a second, and the rest of the
   * pool stays free for the API.
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
}

interface Waiting {
  events: Record<string, unknown>[];
  resolve(outcome: PostOutcome): void;
  reject(error: unknown): void;
}

type BatchResult = PostOutcome | { error: { code: string; message: string } };

/**
 * Coalesces webhook POSTs that arrive while the database is busy into one call of
 * `ingest_meta_webhook_posts`: one round trip and one commit for all of them, each POST still in
 * its own subtransaction (atomic alone; a failing one does not take the others down). Nothing
 * waits on a timer: with a free slot a POST goes at once, alone. A POST whose subtransaction
 * failed (a deadlock with a concurrent batch, say) is retried once on its own.
 */
export function webhookBatcher(pool: Pool, options: BatcherOptions = {}) {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxBatch = options.maxBatch ?? 32;
  const maxEvents = options.maxEvents ?? 1000;
  const maxQueued = options.maxQueued ?? 5000;
  const queue: Waiting[] = [];
  let inFlight = 0;

  async function send(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch;
      await ingestPost(pool, only!.events).then(only!.resolve, only!.reject);
      return;
    }
    let results: BatchResult[];
    try {
      const { rows } = await pool.query<{ results: BatchResult[] }>(
        'select public.ingest_meta_webhook_posts($1::jsonb) as results', [toDatabaseJson(batch.map((w) => w.events))]);
      results = rows[0]!.results;
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    // Retries go one after another, on this call's slot, so maxInFlight still bounds the connections.
    for (const [i, waiting] of batch.entries()) {
      const result = results[i]!;
      if ('error' in result) await ingestPost(pool, waiting.events).then(waiting.resolve, waiting.reject);
      else waiting.resolve(result);
    }
  }

  /** The next batch: at least one POST, then more while they fit. */
  function take(): Waiting[] {
    let events = queue[0]!.events.length;
    let count = 1;
    while (count < queue.length && count < maxBatch && events + queue[count]!.events.length <= maxEvents) {
      events += queue[count]!.events.length;
      count++;
    }
    return queue.splice(0, count);
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
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
      return new Promise((resolve, reject) => {
        queue.push({ events, resolve, reject });
        pump();
      });
    },
  };
}
