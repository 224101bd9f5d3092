import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { AppError } from '../../errors.js';
import { libpqEnv } from '../backup/backup.js';
import { findPgTool } from '../backup/pg-tools.js';
import { generatedSchemaDdl, loadGeneratedDdl } from './generated-ddl.js';

/** How the clone is made: the best available (`auto`), only pg_dump, or only the catalog's own DDL. */
export type CloneMethod = 'auto' | 'pg_dump' | 'catalog';

export interface CloneOptions {
  method?: CloneMethod;
  /** An explicit pg_dump (PG_DUMP); used only if its major is at least the server's. */
  pgDump?: string | null;
}

/** `pg_dump --schema-only` of the live database as SQL one simple query can run (psql's `\\` lines dropped). */
function schemaDump(url: string, pgDump: string): string {
  // The password travels in PGPASSWORD, as for the backup: never on a command line others can read.
  const { env, dbname } = libpqEnv(url);
  const result = spawnSync(pgDump, ['--schema-only', '--no-owner', '--dbname', dbname], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000, env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    throw new AppError('clone_failed', `pg_dump --schema-only failed: ${(result.stderr ?? '').trim().split('\n').at(-1)}`, 500);
  }
  return result.stdout.split('\n').filter((line) => !line.startsWith('\\')).join('\n');
}

/**
 * Loads a schema-only clone of the live database into `scratch` (an empty database on the same
 * server): with `pg_dump --schema-only --no-owner` when one of at least the server's major exists,
 * otherwise (the embedded server ships none) with DDL generated from the live system catalog.
 * Reads only on the live database. Returns what made the clone, for messages.
 */
export async function cloneSchema(live: pg.Client, scratch: pg.Client, url: string, options: CloneOptions = {}): Promise<string> {
  const method = options.method ?? 'auto';
  const major = Math.floor(Number((await live.query('show server_version_num')).rows[0].server_version_num) / 10000);
  const { tool } = method === 'catalog' ? { tool: null } : findPgTool('pg_dump', major, options.pgDump ?? null);
  if (tool) {
    await scratch.query(schemaDump(url, tool.path));
    await scratch.query('reset all; set client_min_messages = warning');
    return `pg_dump ${tool.major}`;
  }
  if (method === 'pg_dump') {
    throw new AppError('pg_dump_unavailable', `no pg_dump of major ${major} or newer on this machine (set PG_DUMP, or install the client tools)`, 503);
  }
  const statements = await generatedSchemaDdl(live);
  await loadGeneratedDdl(scratch, statements);
  await scratch.query('reset all; set client_min_messages = warning');
  return `DDL generated from the catalog, no pg_dump ${major}`;
}
