import pg from 'pg';
import { nonTransactionalStatements, runFileRaw } from '../apply.js';
import { CATALOG_SECTIONS, type Catalog, readCatalog } from '../catalog.js';
import { type MigrationFile, parseMigrations } from '../files.js';
import type { SchemaLock } from '../lockfile.js';
import { createScratchDatabase } from '../scratch-db.js';

/** The catalog of a database no migration has touched: nothing managed exists yet. */
export function emptyCatalog(): Catalog {
  return Object.fromEntries(CATALOG_SECTIONS.map((section) => [section, {}])) as unknown as Catalog;
}

/**
 * Runs `read` on a scratch database on the live database's server (same major version: catalogs
 * of 15 and 17 differ in details) with the files up to `applied` replayed; dropped afterwards.
 */
export async function withExpectedScratch<T>(url: string, files: MigrationFile[], applied: string, read: (client: pg.Client) => Promise<T>): Promise<T> {
  const upTo = files.filter((file) => file.version <= applied);
  await parseMigrations(upTo);
  const scratch = await createScratchDatabase(url);
  try {
    const client = new pg.Client({ connectionString: scratch.url, application_name: 'wabase drift' });
    await client.connect();
    try {
      // A throwaway database: no history rows, no waiting for commits to reach disk, and runs of
      // transactional files sent as one message (a concurrent index build runs on its own).
      await client.query('set client_min_messages = warning; set synchronous_commit = off');
      let batch: string[] = [];
      const flush = async () => {
        if (batch.length > 0) await client.query(`begin;\n${batch.join('\n;\n')}\n;\ncommit;`);
        batch = [];
      };
      for (const file of upTo) {
        if (nonTransactionalStatements(file).length === 0) {
          batch.push(file.sql);
          continue;
        }
        await flush();
        await runFileRaw(client, file);
      }
      await flush();
      return await read(client);
    } finally {
      await client.end();
    }
  } finally {
    await scratch.drop();
  }
}

/**
 * What the applied migrations should have produced (E_applied): nothing when none is applied, the
 * lock at its own version, otherwise those files replayed on a scratch database.
 */
export async function expectedAtApplied(url: string, lock: SchemaLock, files: MigrationFile[], applied: string): Promise<Catalog> {
  if (!applied) return emptyCatalog();
  if (applied === lock.version) return lock.catalog;
  return withExpectedScratch(url, files, applied, readCatalog);
}
