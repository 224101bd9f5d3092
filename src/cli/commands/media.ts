import { AppError } from '../../errors.js';
import { inboundMediaStates, retryFailedInboundMedia } from '../../hub/media/backfill.js';
import type { Pool } from '../../db/pool.js';
import { type Command, printJson } from '../command.js';
import { withDatabasePool } from '../with-database.js';

async function workspaceOf(pool: Pool, value: unknown): Promise<string | null> {
  if (typeof value !== 'string' || !value.trim()) return null;
  const found = await pool.query<{ id: string }>('select id from public.workspaces where id::text = $1 or lower(slug) = lower($1)', [value.trim()]);
  if (!found.rows[0]) throw new AppError('workspace_not_found', `--workspace: no workspace ${value}`, 404);
  return found.rows[0].id;
}

export const mediaStatus: Command = {
  name: 'media status',
  usage: '[--workspace SLUG|ID]',
  summary: 'Inbound media jobs per state (pending, processing, stored, failed, expired) with the oldest of each.',
  options: { workspace: { type: 'string' } },
  run: ({ values, json }) =>
    withDatabasePool(async (pool) => {
      const states = await inboundMediaStates(pool, await workspaceOf(pool, values.workspace));
      if (json) printJson({ states });
      else if (states.length === 0) console.log('no inbound media');
      else for (const s of states) console.log(`${s.state.padEnd(10)} ${String(s.jobs).padStart(8)}  oldest ${s.oldest?.toISOString() ?? '-'}`);
      return 0;
    }),
};

export const mediaRetry: Command = {
  name: 'media retry',
  usage: '[--workspace SLUG|ID]',
  summary: 'Queues failed inbound media again (fresh attempts) while Meta\'s media id can still work (7 days).',
  options: { workspace: { type: 'string' } },
  run: ({ values, json }) =>
    withDatabasePool(async (pool) => {
      const queued = await retryFailedInboundMedia(pool, await workspaceOf(pool, values.workspace));
      if (json) printJson({ queued });
      else console.log(`✓ ${queued} failed media job(s) queued again; the worker fetches them`);
      return 0;
    }),
};
