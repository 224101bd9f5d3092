import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors.js';
import { readHistory } from '../../src/migrate/history.js';
import { push } from '../../src/migrate/push.js';
import { renderReconcile } from '../../src/migrate/reconcile/file.js';
import { planReconcile } from '../../src/migrate/reconcile/generate.js';
import type { Rehearsal } from '../../src/migrate/reconcile/rehearse.js';
import { snapshot } from '../../src/migrate/snapshot.js';
import { runCli } from '../helpers/cli.js';
import { adminUrl, freshDatabase } from '../helpers/db.js';
import { migrationProject } from '../helpers/migrations.js';
import { one } from '../helpers/sql.js';

const A = { '20260301000000_items.sql': 'create table if not exists public.items (id int primary key);\nalter table public.items enable row level security;\n' };
const B = { '20260302000000_notes.sql': `create table if not exists public.notes (id int primary key, body text not null, author text);
alter table public.notes enable row level security;
create index if not exists notes_author_idx on public.notes (author);
grant select (id, body) on public.notes to authenticated;
` };

/** At version A (lock of A+B), with a hand-made `notes` holding one row: the pending file collides with it. */
async function legacyNotes() {
  const project = migrationProject({ ...A, ...B });
  await snapshot(adminUrl(), project.migrations, project.lock);
  const db = await freshDatabase({ empty: true });
  await push(db.url, { migrationsDir: migrationProject(A).migrations });
  await db.pool.query('create table public.notes (id int primary key); alter table public.notes enable row level security; insert into public.notes values (1)');
  return { project, db };
}

let backups = 0;
const backup = async () => ((backups += 1), { file: 'x', method: 'pg_dump' as const, bytes: 0, ms: 0 });

describe('db push rehearses on a schema clone before applying to a drifted database', () => {
  it('push --reconcile with a reconcile that leaves the pending file failing: refused before the backup, naming the statement', async () => {
    const { project, db } = await legacyNotes();
    const plan = await planReconcile(db.url, { migrationsDir: project.migrations, lockFile: project.lock });
    const sql = renderReconcile(plan);
    // body is NOT NULL without a default on a table with rows: manual, left commented out for a human.
    assert.match(sql, /-- \[manual\] column notes\.body is missing/);
    backups = 0;
    const error = await push(db.url, { migrationsDir: project.migrations, lockFile: project.lock, reconcile: { file: 'r.sql', sql }, backup })
      .catch((e: unknown) => e);
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'rehearsal_failed');
    assert.match(error.message, /rehearsal failed ✗: 20260302000000_notes\.sql:4:\d+: column "body" of relation "notes" does not exist/);
    assert.equal(backups, 0);
    assert.deepEqual((await readHistory(db.pool)).map((h) => h.version), ['20260301000000']);
    assert.equal((await one(db.pool, 'select to_regclass(\'wabase.reconcile_history\') as t')).t, null);
    assert.equal((await one(db.pool, 'select count(*)::int as n from information_schema.columns where table_name = \'notes\'')).n, 1);
  });

  it('the human fills the manual item: the rehearsal passes, then the backup, the reconcile and the pending file run', async () => {
    const { project, db } = await legacyNotes();
    const plan = await planReconcile(db.url, { migrationsDir: project.migrations, lockFile: project.lock });
    const sql = renderReconcile(plan).replace(/^-- (alter table public\."notes" add column if not exists "body" text;)$/m,
      '$1\nupdate public.notes set body = \'(legacy)\' where body is null;\nalter table public.notes alter column body set not null;');
    backups = 0;
    const result = await push(db.url, { migrationsDir: project.migrations, lockFile: project.lock, reconcile: { file: 'r.sql', sql }, backup });
    assert.equal(result.drift?.rehearsal?.ok, true, result.drift?.rehearsal?.detail);
    assert.match(result.drift!.rehearsal!.detail, /^rehearsed on a schema clone \(DDL generated from the catalog, no pg_dump 17\): reconcile \+ 1 pending/);
    assert.equal(backups, 1);
    assert.deepEqual(result.applied.map((m) => m.version), ['20260302000000']);
    assert.equal(result.verify?.ok, true, result.verify?.errors.map((e) => e.message).join('\n'));
    assert.deepEqual((await one(db.pool, 'select id, body from public.notes')), { id: 1, body: '(legacy)' });
  });

  it('db push --json --accept-drift: exit 1 with the failed rehearsal in the body; --skip-rehearsal is listed as the way around', async () => {
    const { project, db } = await legacyNotes();
    const result = await runCli(['db', 'push', '--json', '--accept-drift', '--skip-backup', '--no-lint'], { DATABASE_URL: db.url }, project.root);
    assert.equal(result.code, 1, result.stderr);
    const body = JSON.parse(result.stdout) as { error: { code: string; message: string; rehearsal: Rehearsal } };
    assert.equal(body.error.code, 'rehearsal_failed');
    assert.equal(body.error.rehearsal.ok, false);
    assert.match(body.error.rehearsal.detail, /20260302000000_notes\.sql:3:\d+: column "author" does not exist/);
    assert.match(body.error.message, /--skip-rehearsal/);
    assert.deepEqual((await readHistory(db.pool)).map((h) => h.version), ['20260301000000']);
  });
});
