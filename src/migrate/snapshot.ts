import pg from 'pg';
import { type Catalog, readCatalog } from './catalog.js';
import { readMigrations } from './files.js';
import { writeLock } from './lockfile.js';
import { push } from './push.js';
import { createScratchDatabase } from './scratch-db.js';

/** Applies every migration to a scratch database on the server of `url` and reads its catalog. */
export async function catalogOfMigrations(url: string, migrationsDir: string): Promise<Catalog> {
  const scratch = await createScratchDatabase(url);
  try {
    await push(scratch.url, { migrationsDir });
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      return await readCatalog(client);
    } finally {
      await client.end();
    }
  } finally {
    await scratch.drop();
  }
}

/** `wabase db snapshot`: writes the catalog the migrations produce to the lock file. */
export async function snapshot(url: string, migrationsDir: string, lockFile: string): Promise<{ version: string }> {
  const files = await readMigrations(migrationsDir);
  const catalog = await catalogOfMigrations(url, migrationsDir);
  const version = files.at(-1)?.version ?? '';
  writeLock(lockFile, { version, catalog });
  return { version };
}
