import path from 'node:path';
import { runFileRaw } from './apply.js';
import { readCatalog } from './catalog.js';
import { compareCatalogs, type Difference } from './compare.js';
import { readMigrations } from './files.js';
import { withMigratedScratch } from './migrated-scratch.js';

export interface IdempotencyReport {
  ok: boolean;
  files: { file: string; error?: string; changes: Difference[] }[];
}

/**
 * Seed 001's first acceptance criterion for every file: on a scratch database, apply all
 * migrations, then run each file again raw; a second run must neither fail nor change the catalog.
 */
export async function checkIdempotent(url: string, migrationsDir: string): Promise<IdempotencyReport> {
  const files = await readMigrations(migrationsDir);
  return withMigratedScratch(url, migrationsDir, async (client) => {
    const report: IdempotencyReport['files'] = [];
    for (const file of files) {
      const before = await readCatalog(client);
      let error: string | undefined;
      try {
        await runFileRaw(client, file);
      } catch (cause) {
        error = (cause as Error).message;
        await client.query('rollback').catch(() => {});
      }
      const changes = compareCatalogs(before, await readCatalog(client));
      report.push({ file: path.basename(file.path), error, changes });
    }
    return { ok: report.every((entry) => !entry.error && entry.changes.length === 0), files: report };
  });
}
