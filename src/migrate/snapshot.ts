import { type Catalog, readCatalog } from './catalog.js';
import { readMigrations } from './files.js';
import { writeLock } from './lockfile.js';
import { withMigratedScratch } from './migrated-scratch.js';

/** Applies every migration to a scratch database on the server of `url` and reads its catalog. */
export function catalogOfMigrations(url: string, migrationsDir: string): Promise<Catalog> {
  return withMigratedScratch(url, migrationsDir, readCatalog);
}

/** `wabase db snapshot`: writes the catalog the migrations produce to the lock file. */
export async function snapshot(url: string, migrationsDir: string, lockFile: string): Promise<{ version: string }> {
  const files = await readMigrations(migrationsDir);
  const catalog = await catalogOfMigrations(url, migrationsDir);
  const version = files.at(-1)?.version ?? '';
  writeLock(lockFile, { version, catalog });
  return { version };
}
