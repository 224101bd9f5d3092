import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { checkIdempotent } from '../../src/migrate/check-idempotent.js';
import { catalogDigest } from '../../src/migrate/digest.js';
import { readLock } from '../../src/migrate/lockfile.js';
import { snapshot } from '../../src/migrate/snapshot.js';
import { adminUrl } from '../helpers/db.js';
import { migrationProject } from '../helpers/migrations.js';

describe('commands on a scratch database', () => {
  it('check-idempotent passes idempotent files and names the ones that fail or change on a second run', async () => {
    const project = migrationProject({
      '20260301000000_good.sql': 'create table if not exists public.good (id int);\n',
      '20260302000000_fails.sql': 'create table public.twice (id int);\n',
      '20260303000000_changes.sql': 'do $$ begin execute format(\'create table if not exists public.t_%s (id int)\', (select count(*) from pg_class where relname like \'t\\_%\')); end $$;\n',
    });
    const report = await checkIdempotent(adminUrl(), project.migrations);
    assert.equal(report.ok, false);
    const byFile = Object.fromEntries(report.files.map((f) => [f.file, f]));
    assert.equal(byFile['20260301000000_good.sql']!.error, undefined);
    assert.deepEqual(byFile['20260301000000_good.sql']!.changes, []);
    assert.match(String(byFile['20260302000000_fails.sql']!.error), /relation "twice" already exists/);
    assert.ok(byFile['20260303000000_changes.sql']!.changes.some((c) => c.kind === 'extra' && c.section === 'tables'));
  });

  it('snapshot writes a lock of what the migrations produce, and leaves no scratch database behind', async () => {
    const project = migrationProject({ '20260301000000_a.sql': 'create table if not exists public.a (id int primary key, name text not null);\n' });
    const result = await snapshot(adminUrl(), project.migrations, project.lock);
    assert.equal(result.version, '20260301000000');
    const lock = readLock(project.lock);
    assert.equal(lock.format, 2);
    assert.deepEqual(Object.keys(lock.checkpoints), ['20260301000000']);
    assert.equal(lock.checkpoints['20260301000000'], catalogDigest(lock.catalog));
    assert.deepEqual(lock.catalog.columns['a.name'], { default: null, nullable: 'NO', type: 'text' });
    assert.ok(fs.readFileSync(project.lock, 'utf8').endsWith('\n'));
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    // Other test files make scratch databases of their own on this server (the drift gate does):
    // wait for the count to reach zero rather than read it once.
    let left = -1;
    for (let i = 0; i < 150 && left !== 0; i++) {
      left = (await client.query('select count(*)::int as n from pg_database where datname like \'wabase_scratch_%\'')).rows[0].n;
      if (left !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.end();
    assert.equal(left, 0);
  });
});
