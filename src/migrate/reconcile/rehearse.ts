import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { applyMigration } from '../apply.js';
import { findPgTool } from '../backup/pg-tools.js';
import { readCatalog } from '../catalog.js';
import { compareCatalogs } from '../compare.js';
import type { MigrationFile } from '../files.js';
import { ensureHistory } from '../history.js';
import type { SchemaLock } from '../lockfile.js';
import { createScratchDatabase } from '../scratch-db.js';
import { classifySeverity } from '../security.js';
import { applyReconcile } from './apply.js';

export interface Rehearsal {
  ran: boolean;
  ok: boolean;
  /** One line for the file's header. */
  detail: string;
  ms: number;
}

/** `pg_dump --schema-only` of the live database as SQL one simple query can run (psql's `\\` lines dropped). */
function schemaDump(url: string, pgDump: string): string {
  const result = spawnSync(pgDump, ['--schema-only', '--no-owner', '--dbname', url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
  if (result.status !== 0) throw new Error(`pg_dump failed: ${(result.stderr ?? '').trim().split('\n').at(-1)}`);
  return result.stdout.split('\n').filter((line) => !line.startsWith('\\')).join('\n');
}

/**
 * The proof: a schema-only clone of the live database (pg_dump, same server, so the same major
 * version and roles), then the reconcile and the pending files with the real apply code, then the
 * result compared with the lock. Production sees one pg_dump; nothing there is changed.
 */
export async function rehearse(
  url: string,
  input: { reconcile: string; pending: MigrationFile[]; lock: SchemaLock; pgDump?: string | null },
): Promise<Rehearsal> {
  const started = performance.now();
  const done = (ran: boolean, ok: boolean, detail: string): Rehearsal => ({ ran, ok, detail, ms: performance.now() - started });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const major = Number((await client.query('show server_version_num')).rows[0].server_version_num) / 10000;
  await client.end();
  const { tool } = findPgTool('pg_dump', Math.floor(major), input.pgDump ?? null);
  if (!tool) return done(false, false, `not rehearsed: no pg_dump of major ${Math.floor(major)} or newer on this machine`);
  const dump = schemaDump(url, tool.path);
  const scratch = await createScratchDatabase(url);
  try {
    const db = new pg.Client({ connectionString: scratch.url, application_name: 'wabase rehearsal' });
    await db.connect();
    try {
      await db.query(dump);
      await db.query('reset all; set client_min_messages = warning');
      await applyReconcile(db, { file: 'rehearsal', sql: input.reconcile });
      await ensureHistory(db);
      for (const file of input.pending) await applyMigration(db, file);
      const live = await readCatalog(db);
      // A schema-only clone has no rows: the required rows are data, not schema.
      const differences = compareCatalogs(input.lock.catalog, live).filter((d) => d.section !== 'rows');
      const { errors } = classifySeverity(differences, live);
      const label = `rehearsed on a schema clone (pg_dump ${tool.major}): reconcile + ${input.pending.length} pending file(s)`;
      return errors.length === 0
        ? done(true, true, `${label} passed; final catalog == schema.lock.json ✓`)
        : done(true, false, `${label} ran, but ${errors.length} difference(s) from the lock remain ✗: ${errors.slice(0, 3).map((e) => e.message).join('; ')}`);
    } catch (error) {
      return done(true, false, `rehearsal failed ✗: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      await db.end();
    }
  } finally {
    await scratch.drop();
  }
}
