import pg from 'pg';
import { AppError } from '../errors.js';
import { applyMigration } from './apply.js';
import { type MigrationFile, readMigrations } from './files.js';
import { ensureHistory, readHistory } from './history.js';
import { takeMigrationLock } from './lock.js';
import { makePlan, type Plan } from './plan.js';

export interface PushOptions {
  /** Folder of migration files. */
  migrationsDir: string;
  /** How long to wait for another push to finish. Default 60 s. */
  lockTimeoutMs?: number;
  /** Apply files older than the newest applied version too (as `supabase db push --include-all`). */
  includeAll?: boolean;
  /** Progress events, for the CLI. */
  onEvent?: (event: PushEvent) => void;
}

export type PushEvent =
  | { type: 'step'; step: string; ms: number } |
  { type: 'migration'; version: string; name: string; ms: number };

export interface PushResult {
  applied: { version: string; name: string; ms: number }[];
  plan: Plan;
}

/** Refuses plans the Supabase CLI refuses too, with the remedy. */
export function assertPlanApplicable(plan: Plan, includeAll: boolean): void {
  if (plan.missingLocally.length > 0) {
    const versions = plan.missingLocally.map((entry) => entry.version).join(' ');
    throw new AppError(
      'migration_missing_locally',
      `the database history has versions with no local file: ${versions}.\n` +
      `Fetch those files, or mark them reverted: wabase db repair --status reverted ${versions}`,
      409,
    );
  }
  if (plan.outOfOrder.length > 0 && !includeAll) {
    const versions = plan.outOfOrder.map((entry) => `${entry.version}_${entry.name}.sql`).join(', ');
    throw new AppError(
      'migration_out_of_order',
      `local files are older than the newest applied migration: ${versions}.\n` +
      'Rerun with --include-all to apply them, or rename them with a newer version.',
      409,
    );
  }
}

async function timed<T>(step: string, onEvent: PushOptions['onEvent'], fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  onEvent?.({ type: 'step', step, ms: performance.now() - started });
  return result;
}

/**
 * lock -> plan -> apply, on one dedicated connection. A second push waits for the lock, then
 * finds nothing pending. Each migration commits with its history row.
 */
export async function push(url: string, options: PushOptions): Promise<PushResult> {
  const files: MigrationFile[] = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: url, application_name: 'wabase migrate' });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('set client_min_messages = warning');
    const unlock = await timed('lock', options.onEvent, () =>
      takeMigrationLock(client, options.lockTimeoutMs ?? 60_000),
    );
    try {
      const plan = await timed('plan', options.onEvent, async () => {
        await ensureHistory(client);
        return makePlan(files, await readHistory(client), { includeAll: options.includeAll });
      });
      assertPlanApplicable(plan, options.includeAll ?? false);
      const applied: PushResult['applied'] = [];
      for (const file of plan.toApply) {
        const started = performance.now();
        await applyMigration(client, file);
        const ms = performance.now() - started;
        applied.push({ version: file.version, name: file.name, ms });
        options.onEvent?.({ type: 'migration', version: file.version, name: file.name, ms });
      }
      return { applied, plan };
    } finally {
      await unlock().catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
