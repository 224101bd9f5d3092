import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { readCatalog } from '../../src/migrate/catalog.js';
import { compareCatalogs } from '../../src/migrate/compare.js';
import { MIGRATION_FILE, projectPaths } from '../../src/migrate/files.js';
import { readHistory } from '../../src/migrate/history.js';
import { push } from '../../src/migrate/push.js';
import { repair } from '../../src/migrate/repair.js';
import { rollback } from '../../src/migrate/rollback.js';
import { freshDatabase } from '../helpers/db.js';
import { migrationProject } from '../helpers/migrations.js';
import { one } from '../helpers/sql.js';

describe('db rollback and repair', () => {
  it('rollback then push returns to an identical catalog', async () => {
    const db = await freshDatabase();
    const paths = projectPaths();
    const before = await readCatalog(db.pool);
    const result = await rollback(db.url, { rollbacksDir: paths.rollbacks, to: '20260128231758' });
    // Every migration after the target, newest first (read from the folder, so a new file needs no edit here).
    const newer = fs.readdirSync(paths.migrations).map((name) => MIGRATION_FILE.exec(name)?.[1]).filter((v): v is string => v !== undefined && v > '20260128231758');
    assert.ok(newer.includes('20260130000000') && newer.includes('20261201000400'));
    assert.deepEqual(result.reverted, newer.sort().reverse());
    assert.equal((await one(db.pool, 'select to_regclass(\'public.wa_saved_views\') as t')).t, null);
    assert.equal((await readHistory(db.pool)).at(-1)!.version, '20260128231758');
    await push(db.url, { migrationsDir: paths.migrations });
    assert.deepEqual(compareCatalogs(before, await readCatalog(db.pool)).map((d) => d.message), []);
  });

  it('refuses when a down file is missing, reverting nothing', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject(
      { '20260301000000_a.sql': 'create table if not exists a (id int);', '20260302000000_b.sql': 'create table if not exists b (id int);' },
      { '20260302000000_b.down.sql': 'drop table if exists b;' },
    );
    await push(db.url, { migrationsDir: project.migrations });
    await assert.rejects(rollback(db.url, { rollbacksDir: project.rollbacks, to: '0' }), /no down file for: 20260301000000_a\.down\.sql/);
    assert.equal((await readHistory(db.pool)).length, 2);
    assert.notEqual((await one(db.pool, 'select to_regclass(\'public.b\') as t')).t, null);
  });

  it('repair marks versions applied or reverted without running them', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({ '20260301000000_a.sql': 'create table if not exists a (id int);' });
    assert.deepEqual((await repair(db.url, project.migrations, 'applied', ['20260301000000'])).changed, ['20260301000000']);
    assert.equal((await one(db.pool, 'select to_regclass(\'public.a\') as t')).t, null, 'nothing was run');
    assert.deepEqual((await readHistory(db.pool)).map((h) => h.statements), [['create table if not exists a (id int)']]);
    assert.deepEqual((await repair(db.url, project.migrations, 'reverted', ['20260301000000'])).changed, ['20260301000000']);
    assert.equal((await readHistory(db.pool)).length, 0);
    await assert.rejects(repair(db.url, project.migrations, 'applied', ['20990101000000']), /no local migration file/);
  });
});
