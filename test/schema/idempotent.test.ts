import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runFileRaw } from '../../src/migrate/apply.js';
import { readCatalog } from '../../src/migrate/catalog.js';
import { compareCatalogs } from '../../src/migrate/compare.js';
import { projectPaths, readMigrations } from '../../src/migrate/files.js';
import { readLock } from '../../src/migrate/lockfile.js';
import { freshDatabase } from '../helpers/db.js';

describe('migrations', async () => {
  const db = await freshDatabase();
  const files = await readMigrations(projectPaths().migrations);

  for (const file of files) {
    it(`${path.basename(file.path)} runs twice raw with no error and no change`, async () => {
      const before = await readCatalog(db.pool);
      await runFileRaw(db.pool, file);
      await runFileRaw(db.pool, file);
      assert.deepEqual(compareCatalogs(before, await readCatalog(db.pool)), []);
    });
  }

  it('every migration has a rollback file', async () => {
    const fs = await import('node:fs');
    for (const file of files) {
      const down = path.join(projectPaths().rollbacks, `${file.version}_${file.name}.down.sql`);
      assert.ok(fs.existsSync(down), `missing ${down}`);
    }
  });

  it('supabase/schema.lock.json is current (run wabase db snapshot when this fails)', async () => {
    const fresh = await freshDatabase();
    const lock = readLock(projectPaths().lock);
    assert.equal(lock.version, files.at(-1)!.version);
    assert.deepEqual(compareCatalogs(lock.catalog, await readCatalog(fresh.pool)).map((d) => d.message), []);
  });
});
