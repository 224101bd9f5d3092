import pg from 'pg';
import { applyMigration } from '../apply.js';
import { readCatalog } from '../catalog.js';
import { cloneSchema, type CloneOptions } from '../clone/clone-schema.js';
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
  /** One line for the file's header (or the push's message). */
  detail: string;
  /** What made the clone: `pg_dump 15`, or DDL generated from the catalog. */
  clone?: string;
  ms: number;
}

/**
 * The proof: a schema-only clone of the live database in a scratch database on the same server
 * (so the same major version and roles), then the reconcile (if any) and the pending files with the
 * real apply code, then the result compared with the lock. Production is only read; nothing there
 * is changed.
 */
export async function rehearse(
  url: string,
  input: { reconcile: string | null; pending: MigrationFile[]; lock: SchemaLock; clone?: CloneOptions },
): Promise<Rehearsal> {
  const started = performance.now();
  const done = (ok: boolean, detail: string, clone?: string): Rehearsal => ({ ran: true, ok, detail, clone, ms: performance.now() - started });
  const scratch = await createScratchDatabase(url);
  const live = new pg.Client({ connectionString: url, application_name: 'wabase rehearsal' });
  const db = new pg.Client({ connectionString: scratch.url, application_name: 'wabase rehearsal' });
  let clone: string | undefined;
  try {
    await live.connect();
    await db.connect();
    clone = await cloneSchema(live, db, url, input.clone);
    await live.end();
    if (input.reconcile !== null) await applyReconcile(db, { file: 'rehearsal', sql: input.reconcile });
    await ensureHistory(db);
    for (const file of input.pending) await applyMigration(db, file);
    const result = await readCatalog(db);
    // A schema-only clone has no rows: the required rows are data, not schema.
    const differences = compareCatalogs(input.lock.catalog, result).filter((d) => d.section !== 'rows');
    const { errors } = classifySeverity(differences, result);
    const label = `rehearsed on a schema clone (${clone}): ${input.reconcile !== null ? 'reconcile + ' : ''}${input.pending.length} pending file(s)`;
    return errors.length === 0
      ? done(true, `${label} passed; final catalog == schema.lock.json ✓`, clone)
      : done(false, `${label} ran, but ${errors.length} difference(s) from the lock remain ✗: ${errors.slice(0, 3).map((e) => e.message).join('; ')}`, clone);
  } catch (error) {
    return done(false, `rehearsal failed ✗: ${(error as Error).message.split('\n')[0]}`, clone);
  } finally {
    await live.end().catch(() => {});
    await db.end().catch(() => {});
    await scratch.drop();
  }
}
