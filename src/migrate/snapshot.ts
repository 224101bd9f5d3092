import pg from 'pg';
import { type Catalog, readCatalog } from './catalog.js';
import { catalogDigest } from './digest.js';
import { writeLock } from './lockfile.js';
import { withMigratedScratch } from './migrated-scratch.js';
import { push } from './push.js';
import { createScratchDatabase } from './scratch-db.js';

/** Applies every migration to a scratch database on the server of `url` and reads its catalog. */
export function catalogOfMigrations(url: string, migrationsDir: string): Promise<Catalog> {
  return withMigratedScratch(url, migrationsDir, readCatalog);
}

/**
 * `wabase db snapshot`: applies the migrations one by one to a scratch database on the server of
 * `url`, records the catalog's digest after each (the checkpoints), and writes the final catalog.
 */
export async function snapshot(url: string, migrationsDir: string, lockFile: string): Promise<{ version: string; checkpoints: number }> {
  const scratch = await createScratchDatabase(url);
  try {
    const checkpoints: Record<string, string> = {};
    let catalog: Catalog | null = null;
    let version = '';
    await push(scratch.url, {
      migrationsDir,
      afterEach: async (client, file) => {
        catalog = await readCatalog(client);
        checkpoints[file.version] = catalogDigest(catalog);
        version = file.version;
      },
    });
    if (!catalog) {
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      catalog = await readCatalog(client).finally(() => client.end());
    }
    writeLock(lockFile, { version, checkpoints, catalog });
    return { version, checkpoints: Object.keys(checkpoints).length };
  } finally {
    await scratch.drop();
  }
}
