import type { Pool } from '../../db/pool.js';
import type { Logger } from '../../log.js';
import type { WorkerTask } from '../../worker/worker.js';
import type { GraphTarget } from '../graph-api.js';
import { syncTemplates } from './sync.js';

/**
 * The worker's template sync: every `intervalMinutes`, all WABAs (syncTemplates). With several
 * workers, one slot per interval (take_rate_limit_slot) lets only one of them sync.
 */
export function templateSyncTask(options: { pool: Pool; target: GraphTarget; key: Buffer | null; logger: Logger; intervalMinutes: number }): WorkerTask {
  const seconds = options.intervalMinutes * 60;
  return {
    name: 'template-sync',
    async run(signal) {
      while (!signal.aborted) {
        const slot = await options.pool.query<{ ok: boolean }>('select public.take_rate_limit_slot($1, 1, $2) as ok', ['wabase:template-sync', seconds]);
        if (slot.rows[0]?.ok) {
          const results = await syncTemplates(options.pool, options.target, options.key);
          for (const result of results) {
            if (result.error) options.logger.warn({ wabaId: result.wabaId, workspaceId: result.workspaceId, error: result.error.message }, 'template sync failed');
          }
          options.logger.info({ wabas: results.length, templates: results.reduce((n, r) => n + r.templates, 0) }, 'templates synced');
        }
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, Math.min(seconds, 300) * 1000);
          signal.addEventListener('abort', done, { once: true });
        });
      }
    },
  };
}
