import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { restoreDataDirectory } from '../../db/embedded/restore.js';
import { AppError, InputError } from '../../errors.js';
import { backup, backupStamp } from '../../migrate/backup/backup.js';
import { restoreDump } from '../../migrate/backup/restore.js';
import { checkIdempotent } from '../../migrate/check-idempotent.js';
import { projectPaths } from '../../migrate/files.js';
import { lintFiles, lintMigrations } from '../../migrate/lint/lint.js';
import { formatFindings } from '../../migrate/drift/gate.js';
import { dryRun, push, type PushEvent } from '../../migrate/push.js';
import { repair } from '../../migrate/repair.js';
import { migrationPlan } from '../../migrate/status.js';
import { rollback } from '../../migrate/rollback.js';
import { verifyWith } from '../../migrate/verify.js';
import { type Command, printJson } from '../command.js';
import { withDatabase, withDatabasePool } from '../with-database.js';

const ms = (value: number) => `${Math.round(value)} ms`;

function backupTarget(url: string, config: Config) {
  return { url, embeddedDataDir: config.databaseUrl ? null : path.join(config.home, 'pg'), pgDump: config.pgDump };
}

function printEvent(event: PushEvent): void {
  if (event.type === 'step') console.log(`✓ ${event.step} (${ms(event.ms)})${event.detail ? `: ${event.detail}` : ''}`);
  else console.log(`  ✓ ${event.version}_${event.name} (${ms(event.ms)})`);
}

function seconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InputError(`--${name}: expected a number of seconds`);
  return n * 1000;
}

function reconcileFile(value: unknown): { file: string; sql: string } | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value) throw new InputError('--reconcile: name the file wabase db reconcile wrote');
  const file = path.resolve(value);
  if (!fs.existsSync(file)) throw new InputError(`--reconcile: ${file} does not exist`);
  return { file, sql: fs.readFileSync(file, 'utf8') };
}

export const dbPush: Command = {
  name: 'db push',
  usage: '[--dry-run] [--skip-backup] [--include-all] [--no-lint] [--accept-drift] [--reconcile FILE] [--skip-rehearsal] [--lock-timeout SECONDS]',
  summary: 'lock -> plan -> lint -> drift gate -> backup -> apply -> verify -> unlock. Each migration commits with its history row.',
  options: {
    'dry-run': { type: 'boolean' },
    'skip-backup': { type: 'boolean' },
    'include-all': { type: 'boolean' },
    'no-lint': { type: 'boolean' },
    'accept-drift': { type: 'boolean' },
    'reconcile': { type: 'string' },
    'skip-rehearsal': { type: 'boolean' },
    'lock-timeout': { type: 'string' },
  },
  run: ({ values, json }) =>
    withDatabase(async (url, config) => {
      const paths = projectPaths();
      const includeAll = Boolean(values['include-all']);
      if (values['dry-run']) {
        const result = await dryRun(url, { migrationsDir: paths.migrations, includeAll });
        if (json) printJson(result);
        else if (result.files.length === 0) console.log('nothing to apply: the database is up to date');
        else {
          for (const file of result.files) {
            console.log(`-- ${file.version}_${file.name}.sql${file.warnings.map((w) => `\n-- ! ${w}`).join('')}\n${file.sql.trim()}\n`);
          }
          console.log(`-- dry run: ${result.files.length} migration(s) would be applied; nothing was changed`);
        }
        return 0;
      }
      const skipBackup = Boolean(values['skip-backup']) || config.skipDbBackup;
      if (skipBackup && !json) console.log('! backup skipped (SKIP_DB_BACKUP=1 or --skip-backup)');
      const result = await push(url, {
        migrationsDir: paths.migrations,
        includeAll,
        lockTimeoutMs: seconds(values['lock-timeout'], 'lock-timeout', 60_000),
        lockFile: paths.lock,
        acceptDrift: Boolean(values['accept-drift']),
        reconcile: reconcileFile(values.reconcile),
        rehearse: !values['skip-rehearsal'],
        clone: { pgDump: config.pgDump },
        check: values['no-lint']
          ? undefined
          : async (files) => {
            const report = lintFiles(files);
            if (report.errors === 0) return;
            const lines = report.findings.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line}:${f.column} [${f.rule}] ${f.message}`);
            throw new AppError('lint_failed', `migrations have lint errors (push with --no-lint to override):\n${lines.join('\n')}`, 400);
          },
        backup: skipBackup ? undefined : () => backup(backupTarget(url, config), path.join(paths.backups, `${backupStamp()}.dump`)),
        onEvent: json ? undefined : printEvent,
      });
      const { applied, backup: taken, verify: verified, drift, reconciled } = result;
      if (json) printJson({ applied, backup: taken, verify: verified, drift, reconciled, skippedBackup: skipBackup });
      else if (result.drift?.gate?.findings.length) console.log(formatFindings(result.drift.gate.findings));
      if (!json && result.reconciled != null) console.log(`reconciled: ${result.reconciled} statement(s) from ${String(values.reconcile)}`);
      if (!json) console.log(result.applied.length ? `applied ${result.applied.length} migration(s)` : 'nothing to apply: the database is up to date');
      return 0;
    }),
};

export const dbStatus: Command = {
  name: 'db status',
  summary: 'Every migration as applied, pending, edited, out of order or missing locally; and schema vs lock.',
  run: ({ json }) =>
    withDatabasePool(async (pool) => {
      const paths = projectPaths();
      const plan = await migrationPlan(pool, paths.migrations);
      const schema = fs.existsSync(paths.lock) ? await verifyWith(pool, paths.lock) : null;
      const rows = plan.entries.map(({ version, name, state }) => ({ version, name, state }));
      if (json) {
        printJson({ migrations: rows, schemaMatchesLock: schema?.ok ?? null, drift: schema?.warnings.length ?? null });
      } else {
        for (const row of rows) console.log(`${row.state.padEnd(16)} ${row.version}_${row.name}`);
        if (!schema) console.log('schema: no lock file (run wabase db snapshot)');
        else if (schema.ok) console.log(`schema: matches the lock (${schema.warnings.length} drift warning(s))`);
        else console.log(`schema: ${schema.errors.length} difference(s) from the lock (wabase db diff)`);
      }
      return plan.edited.length + plan.missingLocally.length === 0 && schema?.ok !== false ? 0 : 1;
    }),
};

export const dbBackup: Command = {
  name: 'db backup',
  usage: '[--out FILE]',
  summary: 'pg_dump -Fc to supabase/backups/<UTC timestamp>.dump (embedded without a fitting pg_dump: a data-directory copy).',
  options: { out: { type: 'string' } },
  run: ({ values, json }) =>
    withDatabase(async (url, config) => {
      const out = typeof values.out === 'string' ? path.resolve(values.out) : path.join(projectPaths().backups, `${backupStamp()}.dump`);
      const result = await backup(backupTarget(url, config), out);
      if (json) printJson(result);
      else console.log(`✓ backup (${result.method}) written to ${result.file} (${result.bytes} bytes, ${ms(result.ms)})`);
      return 0;
    }),
};

export const dbRestore: Command = {
  name: 'db restore',
  usage: 'FILE',
  summary: 'Restores a backup made by wabase db backup (a .dump with pg_restore, or a data-directory copy).',
  async run({ positionals, json }) {
    const file = positionals[0];
    if (!file) throw new InputError('FILE: name the backup to restore');
    const resolved = path.resolve(file);
    if (resolved.endsWith('.datadir.tar.gz')) {
      const { loadConfig } = await import('../../config.js');
      const result = await restoreDataDirectory(loadConfig(), resolved);
      if (json) printJson({ restored: resolved, ...result });
      else console.log(`✓ restored ${resolved}; the previous data directory is kept at ${result.keptAt}`);
      return 0;
    }
    return withDatabase(async (url, config) => {
      await restoreDump(url, resolved, config.pgDump);
      if (json) printJson({ restored: resolved });
      else console.log(`✓ restored ${resolved}`);
      return 0;
    });
  },
};

export const dbRollback: Command = {
  name: 'db rollback',
  usage: '--to VERSION',
  summary: 'Runs the down files newer than VERSION, newest first, one transaction each, removing their history rows.',
  options: { 'to': { type: 'string' }, 'lock-timeout': { type: 'string' } },
  run: ({ values, json }) =>
    withDatabase(async (url) => {
      if (typeof values.to !== 'string' || !/^\d+$/.test(values.to)) throw new InputError('--to: expected a migration version (digits), or 0');
      const result = await rollback(url, {
        rollbacksDir: projectPaths().rollbacks,
        to: values.to,
        lockTimeoutMs: seconds(values['lock-timeout'], 'lock-timeout', 60_000),
        onReverted: json ? undefined : (version, name, t) => console.log(`  ↩ ${version}_${name} (${ms(t)})`),
      });
      if (json) printJson(result);
      else console.log(`reverted ${result.reverted.length} migration(s)`);
      return 0;
    }),
};

export const dbRepair: Command = {
  name: 'db repair',
  usage: '--status applied|reverted VERSION...',
  summary: 'Marks versions applied or reverted in the history without running them (as supabase migration repair).',
  options: { status: { type: 'string' } },
  run: ({ values, positionals, json }) =>
    withDatabase(async (url) => {
      const status = values.status;
      if (status !== 'applied' && status !== 'reverted') throw new InputError('--status: expected applied or reverted');
      const result = await repair(url, projectPaths().migrations, status, positionals);
      if (json) printJson({ status, ...result });
      else console.log(`marked ${result.changed.length} version(s) ${status}: ${result.changed.join(' ') || '(none changed)'}`);
      return 0;
    }),
};

export const dbLint: Command = {
  name: 'db lint',
  summary: 'Checks migration files: idempotent statements, RLS on new tables, pinned search_path, plus squawk safety rules.',
  async run({ json }) {
    const report = await lintMigrations(projectPaths().migrations);
    if (json) printJson(report);
    else {
      for (const f of report.findings) console.log(`${f.severity === 'error' ? '✗' : '!'} ${f.file}:${f.line}:${f.column} [${f.rule}] ${f.message}`);
      if (!report.squawk) console.log('! squawk is not installed for this platform: its safety rules were skipped');
      console.log(`${report.errors} error(s), ${report.warnings} warning(s)`);
    }
    return report.errors === 0 ? 0 : 1;
  },
};

export const dbCheckIdempotent: Command = {
  name: 'db check-idempotent',
  summary: 'On a scratch database, applies every migration, then runs each file again: it must not fail or change anything.',
  run: ({ json }) =>
    withDatabase(async (url) => {
      const report = await checkIdempotent(url, projectPaths().migrations);
      if (json) printJson(report);
      else {
        for (const file of report.files) {
          if (file.error) console.log(`✗ ${file.file}: second run failed: ${file.error}`);
          else if (file.changes.length) console.log(`✗ ${file.file}: second run changed ${file.changes.map((c) => c.message).join('; ')}`);
          else console.log(`✓ ${file.file}`);
        }
      }
      return report.ok ? 0 : 1;
    }),
};
