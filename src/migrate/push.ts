import fs from 'node:fs';
import pg from 'pg';
import { AppError } from '../errors.js';
import { applyMigration } from './apply.js';
import { type MigrationFile, parseMigrations, readMigrations } from './files.js';
import { ensureHistory, readHistory } from './history.js';
import { takeMigrationLock } from './lock.js';
import { makePlan, type Plan } from './plan.js';
import type { BackupResult } from './backup/backup.js';
import { nonTransactionalStatements } from './apply.js';
import { type VerifyResult, verifyCatalog, verifyWith } from './verify.js';
import { readCatalog } from './catalog.js';
import { readLock } from './lockfile.js';
import { applyReconcile, assertFresh, type ReconcileFile } from './reconcile/apply.js';
import { type CheckpointResult, checkCheckpoint } from './drift/checkpoint.js';
import type { DriftGateResult } from './drift/gate.js';
import { preflight } from './drift/preflight.js';
import type { CloneOptions } from './clone/clone-schema.js';
import type { Rehearsal } from './reconcile/rehearse.js';
import { timed } from './timed.js';

export interface PushOptions {
  /** Folder of migration files. */
  migrationsDir: string;
  /** How long to wait for another push to finish. Default 60 s. */
  lockTimeoutMs?: number;
  /** Apply files older than the newest applied version too (as `supabase db push --include-all`). */
  includeAll?: boolean;
  /** Progress events, for the CLI. */
  onEvent?: (event: PushEvent) => void;
  /** Takes the backup (run only when something is pending); absent: no backup. */
  backup?: () => Promise<BackupResult>;
  /** Lock file to verify against after applying; absent or missing file: no verify. */
  lockFile?: string;
  /** Checks the files about to be applied (lint); throws to stop the push before the backup. */
  check?: (files: MigrationFile[]) => Promise<void>;
  /** A reviewed `wabase db reconcile` file to apply first (refused when its fingerprint is stale). */
  reconcile?: ReconcileFile;
  /** Push onto a drifted database even when the drift gate would stop it. */
  acceptDrift?: boolean;
  /** false: do not rehearse on a schema clone before applying to a drifted database. Default true. */
  rehearse?: boolean;
  /** How the rehearsal's schema clone is made (pg_dump when one fits, else DDL from the catalog). */
  clone?: CloneOptions;
  /** Runs on the push's connection after each migration committed (snapshot reads checkpoints). */
  afterEach?: (client: pg.Client, file: MigrationFile) => Promise<void>;
}

export type PushEvent =
  | { type: 'step'; step: string; ms: number; detail?: string } |
  { type: 'migration'; version: string; name: string; ms: number };

export interface PushResult {
  applied: { version: string; name: string; ms: number }[];
  plan: Plan;
  backup: BackupResult | null;
  verify: VerifyResult | null;
  /** Statements of the reconcile file applied (null: none given). */
  reconciled?: number | null;
  /** The checkpoint check (null without a lock file), the gate's findings and the rehearsal when they ran. */
  drift: { checkpoint: CheckpointResult; gate: DriftGateResult | null; rehearsal: Rehearsal | null } | null;
}

export interface DryRunResult {
  plan: Plan;
  /** What push would run, file by file, with warnings (non-transactional files). */
  files: { version: string; name: string; sql: string; warnings: string[] }[];
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

/** Why a file must run outside a transaction, for the plan. */
export function planWarnings(file: MigrationFile): string[] {
  return nonTransactionalStatements(file).map(
    (reason) => `contains ${reason}: runs statement by statement outside a transaction`,
  );
}

/**
 * The plan for `client`'s database: refused as the Supabase CLI refuses, and with the files to
 * apply parsed (the parser loads only when something is pending). Reads the history, creates nothing.
 */
async function applicablePlan(client: pg.Client, options: Pick<PushOptions, 'migrationsDir' | 'includeAll'>): Promise<Plan> {
  const files = await readMigrations(options.migrationsDir, { parse: false });
  const plan = makePlan(files, await readHistory(client), { includeAll: options.includeAll });
  assertPlanApplicable(plan, options.includeAll ?? false);
  await parseMigrations(plan.toApply);
  return plan;
}

/** `push --dry-run`: the plan and the SQL it would run; reads the history, writes nothing. */
export async function dryRun(url: string, options: Pick<PushOptions, 'migrationsDir' | 'includeAll'>): Promise<DryRunResult> {
  const client = new pg.Client({ connectionString: url, application_name: 'wabase migrate' });
  await client.connect();
  try {
    const plan = await applicablePlan(client, options);
    return {
      plan,
      files: plan.toApply.map((file) => ({ version: file.version, name: file.name, sql: file.sql, warnings: planWarnings(file) })),
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * lock -> plan -> apply, on one dedicated connection. A second push waits for the lock, then
 * finds nothing pending. Each migration commits with its history row.
 */
export async function push(url: string, options: PushOptions): Promise<PushResult> {
  const client = new pg.Client({ connectionString: url, application_name: 'wabase migrate' });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('set client_min_messages = warning');
    const unlock = await timed('lock', options.onEvent, () =>
      takeMigrationLock(client, options.lockTimeoutMs ?? 60_000),
    );
    try {
      // Reading the plan creates nothing: a failed backup must leave the database untouched.
      const plan = await timed('plan', options.onEvent, () => applicablePlan(client, options));
      if (plan.toApply.length > 0 && options.check) await timed('lint', options.onEvent, () => options.check!(plan.toApply));
      const lock = options.lockFile && fs.existsSync(options.lockFile) ? readLock(options.lockFile) : null;
      // One catalog read: the checkpoint check now, and the verify when nothing is pending.
      const live = lock ? await readCatalog(client) : null;
      const checkpoint = lock && live
        ? await timed('drift', options.onEvent, async () => checkCheckpoint(lock, plan, live), (c) =>
            c.clean === true ? `none (checkpoint ${c.applied})` : c.clean === false ? `the catalog differs from checkpoint ${c.applied}` : 'no checkpoint to compare with')
        : null;
      if (options.reconcile) assertFresh(options.reconcile, live ?? (await readCatalog(client)));
      const { gate, rehearsal } = lock && live && checkpoint
        ? await preflight({ ...options, url, plan, lock, live, checkpoint })
        : { gate: null, rehearsal: null };
      const backupResult =
        (plan.toApply.length > 0 || options.reconcile) && options.backup
          ? await timed('backup', options.onEvent, options.backup, (b) => `${b.method}: ${b.file}`)
          : null;
      const reconciled = options.reconcile
        ? await timed('reconcile', options.onEvent, () => applyReconcile(client, options.reconcile!), (n) => `${n} statement(s)`)
        : null;
      const applied: PushResult['applied'] = [];
      if (plan.toApply.length > 0) await ensureHistory(client);
      for (const file of plan.toApply) {
        const started = performance.now();
        await applyMigration(client, file);
        const ms = performance.now() - started;
        applied.push({ version: file.version, name: file.name, ms });
        if (options.afterEach) await options.afterEach(client, file);
        options.onEvent?.({ type: 'migration', version: file.version, name: file.name, ms });
      }
      const lockFile = options.lockFile;
      const verified =
        lockFile && lock
          ? await timed('verify', options.onEvent, async () => applied.length === 0 && reconciled === null && live ? verifyCatalog(lock, live) : verifyWith(client, lockFile), (v) =>
              v.ok ? `${v.warnings.length} drift warning(s)` : `${v.errors.length} difference(s)`)
          : null;
      if (verified && !verified.ok) {
        throw new AppError(
          'verify_failed',
          `migrations applied, but the schema does not match ${lockFile}:\n` +
          verified.errors.map((error) => `✗ ${error.message}`).join('\n') +
          '\nRun wabase db diff for the full report.',
          500,
          { details: { applied, errors: verified.errors } },
        );
      }
      return { applied, plan, backup: backupResult, verify: verified, reconciled, drift: checkpoint ? { checkpoint, gate, rehearsal } : null };
    } finally {
      await unlock().catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
