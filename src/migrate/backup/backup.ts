import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../../errors.js';
import { copyDataDirectory } from './datadir-copy.js';
import { findPgTool } from './pg-tools.js';

export interface BackupTarget {
  url: string;
  /** Data directory of the embedded server, when that is what `url` points at. */
  embeddedDataDir: string | null;
  /** PG_DUMP, when set. */
  pgDump: string | null;
}

export interface BackupResult {
  file: string;
  method: 'pg_dump' | 'datadir';
  tool?: string;
  bytes: number;
  ms: number;
}

/** UTC timestamp for file names: 20260122T101500Z. */
export function backupStamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ v: string }>('select current_setting(\'server_version_num\') as v');
    return Math.floor(Number(result.rows[0]!.v) / 10000);
  } finally {
    await client.end();
  }
}

export function runTool(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new AppError('backup_tool_failed', `${path.basename(file)} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

/** Connection settings for libpq tools, without putting the password on a command line. */
export function libpqEnv(url: string): { env: NodeJS.ProcessEnv; dbname: string } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { env: password ? { PGPASSWORD: password } : {}, dbname: parsed.toString() };
}

/**
 * Backs up the database before a change: `pg_dump -Fc` with the newest pg_dump that fits the
 * server; for the embedded default without one, a consistent copy of the data directory. When
 * neither is possible it fails before anything is touched, naming what is missing.
 */
export async function backup(target: BackupTarget, out: string): Promise<BackupResult> {
  const started = performance.now();
  const major = await serverMajor(target.url);
  const { tool, seen } = findPgTool('pg_dump', major, target.pgDump);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  if (tool) {
    const { env, dbname } = libpqEnv(target.url);
    await runTool(tool.path, ['--format=custom', '--no-owner', `--file=${out}`, `--dbname=${dbname}`], env);
    return { file: out, method: 'pg_dump', tool: tool.path, bytes: fs.statSync(out).size, ms: performance.now() - started };
  }
  if (target.embeddedDataDir) {
    const file = out.replace(/\.dump$/, '.datadir.tar.gz');
    await copyDataDirectory(target.url, target.embeddedDataDir, file);
    return { file, method: 'datadir', bytes: fs.statSync(file).size, ms: performance.now() - started };
  }
  const found = seen.length ? seen.map((t) => `${t.path} (${t.major})`).join(', ') : 'none';
  throw new AppError(
    'backup_unavailable',
    `no pg_dump of version ${major} or newer on this machine (found: ${found}). ` +
    `Install PostgreSQL ${major} client tools or set PG_DUMP, or skip the backup with SKIP_DB_BACKUP=1 (or --skip-backup).`,
    412,
  );
}
