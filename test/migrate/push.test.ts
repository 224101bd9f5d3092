import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MigrationError } from '../../src/migrate/apply-error.js';
import { readHistory } from '../../src/migrate/history.js';
import { dryRun, push } from '../../src/migrate/push.js';
import { migrationPlan } from '../../src/migrate/status.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';
import { migrationProject } from '../helpers/migrations.js';
import { one } from '../helpers/sql.js';

const A = '20260301000000_a.sql';
const B = '20260302000000_b.sql';

describe('db push', () => {
  it('applies pending files in order with Supabase-shaped history, then finds nothing to do', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({
      [A]: '-- first\ncreate table if not exists a (id int);\n',
      [B]: 'insert into a values (1);\ninsert into a values (2);\n-- trailing note\n',
    });
    const first = await push(db.url, { migrationsDir: project.migrations });
    assert.deepEqual(first.applied.map((m) => m.version), ['20260301000000', '20260302000000']);
    const history = await readHistory(db.pool);
    assert.deepEqual(history, [
      { version: '20260301000000', name: 'a', statements: ['-- first\ncreate table if not exists a (id int)'] },
      { version: '20260302000000', name: 'b', statements: ['insert into a values (1)', 'insert into a values (2)', '-- trailing note'] },
    ]);
    const second = await push(db.url, { migrationsDir: project.migrations });
    assert.equal(second.applied.length, 0);
    assert.equal((await one(db.pool, 'select count(*)::int as n from a')).n, 2);
  });

  it('text beyond ASCII (→, é, an emoji) is split where the statements are, and the file reads as applied, not edited', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({
      [A]: '-- 2,400 → 900: a note\ncreate table if not exists a (id int, note text default \'café 🚀\');\n-- the next one; with a semicolon\ninsert into a (id) values (1);\n',
    });
    await push(db.url, { migrationsDir: project.migrations });
    assert.deepEqual((await readHistory(db.pool))[0]!.statements, [
      '-- 2,400 → 900: a note\ncreate table if not exists a (id int, note text default \'café 🚀\')',
      '-- the next one; with a semicolon\ninsert into a (id) values (1)',
    ]);
    assert.equal((await one(db.pool, 'select note from a')).note, 'café 🚀');
    const plan = await migrationPlan(db.pool, project.migrations);
    assert.deepEqual(plan.entries.map((e) => e.state), ['applied']);
  });

  it('a migration that fails halfway leaves schema and history unchanged, and says where and why', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({
      [A]: 'create table if not exists a (id int);\n',
      [B]: 'create table b (id int);\ninsert into b values (1);\n\ncreate table a (id int);\n',
    });
    await assert.rejects(push(db.url, { migrationsDir: project.migrations }), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.equal(error.file, B);
      assert.equal(error.line, 4);
      assert.equal(error.sqlstate, '42P07');
      assert.match(error.message, /20260302000000_b\.sql:4:\d+: relation "a" already exists \(SQLSTATE 42P07\)/);
      assert.match(error.message, /create table a \(id int\);\n\^/);
      assert.match(error.message, /likely drifted[\s\S]*wabase db diff/);
      return true;
    });
    assert.equal((await one(db.pool, 'select to_regclass(\'public.b\') as b')).b, null);
    assert.deepEqual((await readHistory(db.pool)).map((h) => h.version), ['20260301000000']);
  });

  it('maps an error position inside a later statement to the file line and column', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({ [A]: 'select 1;\n\nselect\n  1 +\n  nosuchcolumn;\n' });
    await assert.rejects(push(db.url, { migrationsDir: project.migrations }), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.deepEqual([error.line, error.column, error.sqlstate], [5, 3, '42703']);
      return true;
    });
  });

  it('detects an edited file', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({ [A]: 'create table if not exists a (id int);\n' });
    await push(db.url, { migrationsDir: project.migrations });
    project.add(A, 'create table if not exists a (id bigint);\n');
    const plan = await migrationPlan(db.pool, project.migrations);
    assert.deepEqual(plan.entries.map((e) => e.state), ['edited']);
    // Whitespace and comments alone are not an edit.
    project.add(A, '-- same\ncreate table if not exists a   (id int)  ;\n');
    assert.deepEqual((await migrationPlan(db.pool, project.migrations)).entries.map((e) => e.state), ['applied']);
  });

  it('a convergence block added to an applied file is not an edit; any other change is', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({ [A]: 'create table if not exists a (id int);\ncreate index if not exists a_id_idx on a (id);\n' });
    await push(db.url, { migrationsDir: project.migrations });
    project.add(A, 'create table if not exists a (id int);\n-- wabase:converge public.a\nalter table a add column if not exists id int;\n' +
    '-- wabase:end-converge\ncreate index if not exists a_id_idx on a (id);\n');
    assert.deepEqual((await migrationPlan(db.pool, project.migrations)).entries.map((e) => e.state), ['applied']);
    project.add(A, 'create table if not exists a (id int);\nalter table a add column if not exists id int;\ncreate index if not exists a_id_idx on a (id);\n');
    assert.deepEqual((await migrationPlan(db.pool, project.migrations)).entries.map((e) => e.state), ['edited']);
  });

  it('refuses out-of-order files with the --include-all remedy, and applies them with it', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({ [B]: 'select 1;' });
    await push(db.url, { migrationsDir: project.migrations });
    project.add(A, 'create table if not exists late (id int);');
    await assert.rejects(push(db.url, { migrationsDir: project.migrations }), /older than the newest applied[\s\S]*--include-all/);
    const result = await push(db.url, { migrationsDir: project.migrations, includeAll: true });
    assert.deepEqual(result.applied.map((m) => m.version), ['20260301000000']);
  });

  it('refuses history versions with no local file, naming db repair', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({ [A]: 'select 1;', [B]: 'select 2;' });
    await push(db.url, { migrationsDir: project.migrations });
    project.remove(A);
    await assert.rejects(
      push(db.url, { migrationsDir: project.migrations }),
      /no local file: 20260301000000[\s\S]*wabase db repair --status reverted 20260301000000/,
    );
  });

  it('runs a non-transactional file statement by statement, with a warning in the plan', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({
      [A]: 'create table if not exists a (id int);\n',
      [B]: 'create index concurrently if not exists a_id_idx on a (id);\n',
    });
    const plan = await dryRun(db.url, { migrationsDir: project.migrations });
    assert.deepEqual(plan.files[1]!.warnings, ['contains create index concurrently: runs statement by statement outside a transaction']);
    await push(db.url, { migrationsDir: project.migrations });
    assert.equal((await one(db.pool, 'select count(*)::int as n from pg_indexes where indexname = \'a_id_idx\'')).n, 1);
  });

  it('--dry-run touches nothing', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({ [A]: 'create table if not exists a (id int);' });
    const plan = await dryRun(db.url, { migrationsDir: project.migrations });
    assert.equal(plan.files.length, 1);
    assert.match(plan.files[0]!.sql, /create table/);
    const row = await one(db.pool, 'select to_regclass(\'supabase_migrations.schema_migrations\') as h, to_regclass(\'public.a\') as a');
    assert.deepEqual(row, { h: null, a: null });
  });

  it('reads history written by the Supabase CLI (hosted columns too) and writes rows it reads', async () => {
    const db = await freshDatabase({ empty: true });
    await db.pool.query(`
      create schema supabase_migrations;
      create table supabase_migrations.schema_migrations (version text not null primary key, statements text[], name text,
        created_by text, idempotency_key text unique, rollback text[]);
      create table a (id int);
      insert into supabase_migrations.schema_migrations (version, name, statements, created_by, idempotency_key)
      values ('20260301000000', 'a', array['create table a (id int)'], 'someone@example.com', 'k1');`);
    const project = migrationProject({ [A]: 'create table a (id int);\n', [B]: 'insert into a values (1);\n' });
    const result = await push(db.url, { migrationsDir: project.migrations });
    assert.deepEqual(result.applied.map((m) => m.version), ['20260302000000']);
    const rows = (await db.pool.query('select version, name, statements, created_by from supabase_migrations.schema_migrations order by 1')).rows;
    assert.deepEqual(rows[1], { version: '20260302000000', name: 'b', statements: ['insert into a values (1)'], created_by: null });
  });

  it('4 concurrent pushes apply each migration exactly once', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({
      [A]: 'create table if not exists runs (file text);\ninsert into runs values ($$a$$);\nselect pg_sleep(0.3);\n',
      [B]: 'insert into runs values ($$b$$);\n',
    });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runCli(['db', 'push', '--json', '--skip-backup', '--no-lint'], { DATABASE_URL: db.url }, project.root)),
    );
    for (const result of results) assert.equal(result.code, 0, result.stderr + result.stdout);
    const applied = results.map((r) => JSON.parse(r.stdout).applied.length).sort();
    assert.deepEqual(applied, [0, 0, 0, 2]);
    assert.deepEqual((await db.pool.query('select file from runs order by 1')).rows, [{ file: 'a' }, { file: 'b' }]);
  });

  it('kill -9 during a push, then a rerun, completes with nothing applied twice', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({
      [A]: 'create table if not exists runs (file text);\ninsert into runs values ($$a$$);\n',
      [B]: 'insert into runs values ($$b$$);\nselect pg_sleep(30);\n',
    });
    const { spawnTs, exited } = await import('../helpers/process.js');
    const path = await import('node:path');
    const child = spawnTs(path.join(import.meta.dirname, '../../src/cli/main.ts'), ['db', 'push', '--skip-backup', '--no-lint'], {
      cwd: project.root,
      env: { ...process.env, DATABASE_URL: db.url },
    });
    // Wait until B is running (its sleep holds the lock), then kill the process.
    for (let i = 0; i < 100; i++) {
      const active = await one<{ n: number }>(db.pool, 'select count(*)::int as n from pg_stat_activity where query like \'%pg_sleep(30)%\' and pid <> pg_backend_pid()');
      if (active.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGKILL');
    await exited(child);
    project.add(B, 'insert into runs values ($$b$$);\n');
    await db.pool.query('select pg_terminate_backend(pid) from pg_stat_activity where query like \'%pg_sleep(30)%\' and pid <> pg_backend_pid()');
    const rerun = await push(db.url, { migrationsDir: project.migrations, lockTimeoutMs: 10_000 });
    assert.deepEqual(rerun.applied.map((m) => m.version), ['20260302000000']);
    assert.deepEqual((await db.pool.query('select file from runs order by 1')).rows, [{ file: 'a' }, { file: 'b' }]);
  });
});
