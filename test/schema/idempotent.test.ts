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

  /** Functions a later migration replaces or drops: re-running an older file brings its own body back, by design. */
  const replacedLater = (index: number, name: string) => {
    const bare = name.slice(0, name.indexOf('(')).replace(/^public\./, '');
    const definition = new RegExp(`(create\\s+or\\s+replace|drop)\\s+function\\s+(if\\s+exists\\s+)?(public\\.)?${bare}\\s*\\(`, 'i');
    return files.slice(index + 1).some((later) => definition.test(later.sql));
  };
  /** Policies a later migration re-creates (`table.policy`): the older file's own version comes back, by design. */
  const policyRecreatedLater = (index: number, name: string) => {
    const [table, policy] = name.split('.');
    const definition = new RegExp(`create\\s+policy\\s+"?${policy}"?\\s+on\\s+(public\\.)?${table}\\b`, 'i');
    return files.slice(index + 1).some((later) => definition.test(later.sql));
  };
  /** Indexes a later migration drops (one replaced by a better one): re-running the file that made it brings it back, by design. */
  const indexDroppedLater = (index: number, name: string) => {
    const drop = new RegExp(`drop\\s+index\\s+(concurrently\\s+)?(if\\s+exists\\s+)?(public\\.)?${name}\\b`, 'i');
    return files.slice(index + 1).some((later) => drop.test(later.sql));
  };
  /** The function a privilege entry names (`function wa_x(…) to role`). */
  const privilegeFunction = (name: string) => /^function (.+\)) to /.exec(name)?.[1] ?? null;
  const byDesign = (index: number, d: { section: string; name: string }) =>
    (d.section === 'functions' && replacedLater(index, d.name)) ||
    (d.section === 'policies' && policyRecreatedLater(index, d.name)) ||
    (d.section === 'indexes' && indexDroppedLater(index, d.name)) ||
    (d.section === 'privileges' && privilegeFunction(d.name) !== null && replacedLater(index, privilegeFunction(d.name)!));

  const expected = readLock(projectPaths().lock).catalog;
  for (const [index, file] of files.entries()) {
    it(`${path.basename(file.path)} runs twice raw with no error and no change`, async () => {
      await runFileRaw(db.pool, file);
      const once = await readCatalog(db.pool);
      await runFileRaw(db.pool, file);
      assert.deepEqual(compareCatalogs(once, await readCatalog(db.pool)), [], 'a second run changes nothing');
      // Against the schema all migrations make (the lock): only functions a later file replaces may differ.
      const changed = compareCatalogs(expected, once).filter((d) => !byDesign(index, d));
      assert.deepEqual(changed, [], 'a run on the current schema changes nothing');
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
