import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import type { Pool } from '../../db/pool.js';
import type { Logger } from '../../log.js';
import type { MediaStore } from '../../storage/store.js';
import type { WorkerTask } from '../../worker/worker.js';
import { decryptSecret } from '../crypto.js';
import { archiveJob, type JobConnection, type MediaJob } from './archive-job.js';
import type { MediaGraph } from './graph-media.js';
import { MEDIA_JOBS_CHANNEL } from './channel.js';
import { mediaJobQueries } from './job-queries.js';

export interface MediaArchiveOptions {
  pool: Pool;
  /** For the LISTEN connection. */
  url: string;
  store: MediaStore;
  graph: MediaGraph;
  /** Decrypts connection tokens. */
  encryptionKey: Buffer;
  logger: Logger;
  /** Downloads in flight at most. Default 16. */
  concurrency?: number;
  /** Attempts before a job fails for good. Default 8. */
  maxAttempts?: number;
  /** Seconds before attempt `attempt + 1` (attempt counts from 1). Default retryDelaySeconds. */
  retryDelay?: (attempt: number) => number;
  /** Polling fallback. Default 2000 ms. */
  pollMs?: number;
}

/**
 * Seconds before the next try: 30 s, 2 min, 8 min, 32 min, … at most 6 h, with jitter. Meta throttles
 * media retrieval after repeated errors (20 an hour block it for 30 minutes), so failures back off
 * fast, and 8 attempts still end well inside the 7 days a webhook media id lives.
 */
export function retryDelaySeconds(attempt: number, random = Math.random): number {
  return Math.round(Math.min(6 * 3600, 30 * 4 ** Math.max(0, attempt - 1)) * (0.75 + random() / 2));
}

interface ConnectionRow { id: string; phone_number_id: string; access_token_enc: string | null; status: string }

/**
 * The inbound media archiver: claims due jobs (claim_wa_media_jobs, SKIP LOCKED), keeps up to
 * `concurrency` downloads in flight, records each outcome, and retries failures with backoff.
 * Woken by NOTIFY from ingest, polling as a fallback. On stop, running downloads finish; nothing
 * claimed is left unstarted (a job is claimed only when a slot is free).
 */
export function mediaArchiveTask(options: MediaArchiveOptions): WorkerTask {
  const workerId = `${os.hostname()}:${process.pid}:media:${randomBytes(3).toString('hex')}`;
  const { pool, logger } = options;
  const concurrency = options.concurrency ?? 16;
  const maxAttempts = options.maxAttempts ?? 8;
  const delay = options.retryDelay ?? retryDelaySeconds;
  const record = mediaJobQueries(pool, workerId);

  async function connections(ids: string[]): Promise<Map<string, JobConnection>> {
    const rows = ids.length
      ? (await pool.query<ConnectionRow>('select id, phone_number_id, access_token_enc, status from public.wa_phone_numbers where id = any($1)', [ids])).rows
      : [];
    const result = new Map<string, JobConnection>();
    for (const row of rows) {
      let token = '';
      try {
        token = row.access_token_enc ? decryptSecret(options.encryptionKey, row.access_token_enc) : '';
      } catch {
        token = '';
      }
      result.set(row.id, row.status !== 'active'
        ? { problem: 'The connection is inactive' }
        : token ? { phoneNumberId: row.phone_number_id, token } : { problem: 'The connection has no usable access token' });
    }
    return result;
  }

  async function runJob(job: MediaJob, connection: JobConnection): Promise<void> {
    const outcome = await archiveJob(options, job, connection).catch((error: unknown) =>
      ({ state: 'retry' as const, code: 'archive_error', message: (error as Error).message }));
    const error = 'code' in outcome ? `${outcome.code}: ${outcome.message}` : '';
    if (outcome.state === 'stored') await record.stored(job.message_id, outcome.mediaId);
    else if (outcome.state === 'retry' && job.attempts < maxAttempts) {
      const seconds = delay(job.attempts);
      await record.retry(job.message_id, seconds, error);
      logger.warn({ messageId: job.message_id, attempt: job.attempts, delay: seconds, code: outcome.code }, 'media download failed; retrying');
    } else {
      await record.final(job.message_id, outcome.state === 'expired' ? 'expired' : 'failed', error);
      logger.warn({ messageId: job.message_id, code: outcome.code, state: outcome.state }, 'media not archived');
    }
  }

  return {
    name: 'media-archive',
    async run(signal) {
      const listener = new pg.Client({ connectionString: options.url, application_name: 'wabase media listener' });
      listener.on('error', () => {});
      let wake: (() => void) | null = null;
      listener.on('notification', () => wake?.());
      await listener.connect();
      await listener.query(`listen ${MEDIA_JOBS_CHANNEL}`);
      const running = new Set<Promise<void>>();
      try {
        while (!signal.aborted) {
          const free = concurrency - running.size;
          const jobs = free > 0
            ? (await pool.query<MediaJob>('select * from public.claim_wa_media_jobs($1, $2)', [free, workerId])).rows
            : [];
          if (jobs.length > 0) {
            const byId = await connections([...new Set(jobs.flatMap((job) => (job.connection_id ? [job.connection_id] : [])))]);
            for (const job of jobs) {
              const connection = (job.connection_id && byId.get(job.connection_id)) || { problem: 'The message has no connection' };
              const task = runJob(job, connection).catch((error: unknown) => logger.error({ err: error, messageId: job.message_id }, 'media job not recorded'))
                .finally(() => {
                  running.delete(task);
                  wake?.();
                });
              running.add(task);
            }
            if (jobs.length === free) continue;
          }
          // Wait for a free slot, a NOTIFY, the poll timer or the stop, whichever comes first.
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              signal.removeEventListener('abort', done);
              wake = null;
              resolve();
            };
            const timer = setTimeout(done, options.pollMs ?? 2000);
            wake = done;
            signal.addEventListener('abort', done, { once: true });
          });
        }
        await Promise.all(running);
      } finally {
        await listener.end().catch(() => {});
      }
    },
  };
}
