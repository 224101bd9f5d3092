import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkIdempotent } from '../../src/migrate/check-idempotent.js';
import { projectPaths } from '../../src/migrate/files.js';
import { push } from '../../src/migrate/push.js';
import { asMigration } from '../../src/migrate/reconcile/as-migration.js';
import { renderReconcile } from '../../src/migrate/reconcile/file.js';
import { planReconcile } from '../../src/migrate/reconcile/generate.js';
import { snapshot } from '../../src/migrate/snapshot.js';
import { verify } from '../../src/migrate/verify.js';
import { runCli } from '../helpers/cli.js';
import { adminUrl, freshDatabase } from '../helpers/db.js';
import { migrationProject } from '../helpers/migrations.js';
import { one } from '../helpers/sql.js';

const repo = projectPaths();
const marks = (items: { mark: string; sql: string }[]) => items.map((i) => `${i.mark} ${i.sql}`).sort();

function writeReconcile(dir: string, text: string): { file: string; sql: string } {
  const file = path.join(dir, 'reconcile.sql');
  fs.writeFileSync(file, text);
  return { file, sql: text };
}

describe('db reconcile and db push --reconcile', () => {
  it('an anon grant and a function re-created without its revokes: safe revokes, pushed, verify green', async () => {
    const db = await freshDatabase();
    const { rows } = await db.pool.query<{ def: string }>(`select pg_get_functiondef('public.claim_outbox(integer, text)'::regprocedure) as def`);
    await db.pool.query(`grant select on public.auth_sessions to anon;
      drop function public.claim_outbox(integer, text);`);
    await db.pool.query(rows[0]!.def);
    assert.equal((await verify(db.url, repo.lock)).ok, false);
    const plan = await planReconcile(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock });
    assert.deepEqual(marks(plan.items), [
      'safe revoke execute on function public."claim_outbox"(integer, text) from "anon";',
      'safe revoke execute on function public."claim_outbox"(integer, text) from "authenticated";',
      'safe revoke execute on function public."claim_outbox"(integer, text) from public;',
      'safe revoke select on table public."auth_sessions" from "anon";',
    ]);
    const text = renderReconcile(plan);
    assert.match(text, /^-- wabase:reconcile v1\n/);
    assert.match(text, /-- source catalog: sha256:[0-9a-f]{64}/);
    assert.match(text, /-- summary: {2}4 safe · 0 approve \(0 approved\) · 0 manual/);
    // Embedded PostgreSQL 17 and only Debian's pg_dump 15 here: the clone comes from the catalog.
    assert.match(text, new RegExp('-- proof: {4}rehearsed on a schema clone \\(DDL generated from the catalog, no pg_dump 17\\): ' +
      'reconcile \\+ 0 pending file\\(s\\) passed; final catalog == schema\\.lock\\.json ✓'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-reconcile-'));
    try {
      const result = await push(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock, reconcile: writeReconcile(dir, text) });
      assert.equal(result.reconciled, 4);
      assert.equal(result.verify?.ok, true, result.verify?.errors.map((e) => e.message).join('\n'));
      const recorded = await one(db.pool, 'select file, statements from wabase.reconcile_history');
      assert.deepEqual(recorded, { file: 'reconcile.sql', statements: 4 });
      assert.equal((await one(db.pool, 'select count(*)::int as n from supabase_migrations.schema_migrations where version like \'%reconcile%\'')).n, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a loosened policy, a missing index and an invalid one: the policy re-created, the indexes built concurrently in the tail; verify green', async () => {
    const db = await freshDatabase();
    await db.pool.query(`alter policy wa_threads_member_all on public.wa_threads using (true);
      drop index public.messages_kind_idx;
      update pg_index set indisvalid = false where indexrelid = 'public.messages_kind_ts_idx'::regclass;`);
    const plan = await planReconcile(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock });
    assert.deepEqual(plan.items.map((i) => `${i.mark}${i.tail ? ' tail' : ''} ${i.sql.split('\n').at(-1)}`).sort(), [
      'safe create policy "wa_threads_member_all" on public."wa_threads" as permissive for all to "authenticated" ' +
      'using ((workspace_id IN ( SELECT my_workspace_ids() AS my_workspace_ids))) with check ((workspace_id IN ( SELECT my_workspace_ids() AS my_workspace_ids)));',
      'safe tail create index concurrently if not exists messages_kind_idx on public.messages USING btree (kind);',
      'safe tail create index concurrently if not exists messages_kind_ts_idx on public.messages USING btree (kind, ts DESC);',
      'safe tail drop index concurrently if exists public."messages_kind_ts_idx";',
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-reconcile-'));
    try {
      const result = await push(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock, reconcile: writeReconcile(dir, renderReconcile(plan)) });
      assert.equal(result.verify?.ok, true, result.verify?.errors.map((e) => e.message).join('\n'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reconcile file whose fingerprint no longer matches the database is refused, and nothing is changed', async () => {
    const db = await freshDatabase();
    await db.pool.query('grant select on public.auth_sessions to anon');
    const plan = await planReconcile(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock });
    await db.pool.query('grant select on public.auth_setup_links to anon');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-reconcile-'));
    try {
      await assert.rejects(push(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock, reconcile: writeReconcile(dir, renderReconcile(plan)) }),
        (error: Error & { code?: string }) => error.code === 'reconcile_stale' && /changed since; run wabase db reconcile again\. Nothing was changed/.test(error.message));
      assert.equal((await one(db.pool, `select has_table_privilege('anon', 'public.auth_sessions', 'select') as ok`)).ok, true);
      assert.equal((await one(db.pool, 'select to_regclass(\'wabase.reconcile_history\') as t')).t, null);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('nullability drift, an extra column with data and a type change: drop not null is safe, the rest stays manual with counts, data kept', async () => {
    const db = await freshDatabase();
    await db.pool.query(`
      alter table public.workspace_entitlements alter column value set not null;
      alter table public.groups add column legacy_note text;
      insert into public.groups (wa_group_id, name, legacy_note) values ('g1@g.us', 'G1', 'keep'), ('g2@g.us', 'G2', null);
      alter table public.wa_threads alter column unread_count type bigint;`);
    const plan = await planReconcile(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock });
    assert.deepEqual(plan.items.filter((i) => i.mark === 'safe').map((i) => i.sql), ['alter table public."workspace_entitlements" alter column "value" drop not null;']);
    const manual = plan.items.filter((i) => i.mark === 'manual').map((i) => i.reason);
    assert.ok(manual.some((r) => /column groups\.legacy_note is unknown .*probe: 1 non-null value/.test(r)), manual.join('\n'));
    assert.ok(manual.some((r) => /wa_threads\.unread_count: type is bigint, the migrations make integer .*probe: 0 value/.test(r)), manual.join('\n'));
    const text = renderReconcile(plan);
    assert.match(text, /\n-- alter table public\."groups" drop column "legacy_note";/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-reconcile-'));
    try {
      // The type change is manual: after the reconcile, verify still names it, and only it.
      await assert.rejects(push(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock, reconcile: writeReconcile(dir, text) }), (error: Error) => {
        assert.match(error.message, /column wa_threads\.unread_count: type expected integer, got bigint/);
        assert.doesNotMatch(error.message, /workspace_entitlements\.value/);
        return true;
      });
      assert.equal((await one(db.pool, 'select legacy_note from public.groups where wa_group_id = \'g1@g.us\'')).legacy_note, 'keep');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a legacy table before a pending file: missing columns reconciled, the human fills the manual one, push --reconcile converges with rows kept', async () => {
    const project = migrationProject({
      '20260301000000_items.sql': 'create table if not exists public.items (id int primary key);\nalter table public.items enable row level security;\n',
      '20260302000000_notes.sql': `create table if not exists public.notes (id int primary key, body text not null, author text);
alter table public.notes enable row level security;
create index if not exists notes_author_idx on public.notes (author);
grant select (id, body) on public.notes to authenticated;
`,
    });
    await snapshot(adminUrl(), project.migrations, project.lock);
    const db = await freshDatabase({ empty: true });
    const first = migrationProject({ '20260301000000_items.sql': fs.readFileSync(path.join(project.migrations, '20260301000000_items.sql'), 'utf8') });
    await push(db.url, { migrationsDir: first.migrations });
    await db.pool.query('create table public.notes (id int primary key, legacy text); insert into public.notes values (1, \'a\'), (2, \'b\');');
    const plan = await planReconcile(db.url, { migrationsDir: project.migrations, lockFile: project.lock });
    assert.deepEqual(marks(plan.items), [
      'manual alter table public."notes" add column if not exists "body" text;',
      'manual alter table public."notes" drop column "legacy";',
      'safe alter table public."notes" add column if not exists "author" text;',
    ]);
    assert.match(plan.items.find((i) => i.sql.includes('"body"'))!.reason, /NOT NULL without a default.*probe: 2 row\(s\) to backfill/);
    // The human's decision for the manual line: a backfill value, then the lock's shape.
    const text = renderReconcile(plan).replace('-- alter table public."notes" add column if not exists "body" text;',
      'alter table public."notes" add column if not exists "body" text not null default \'\';\nalter table public."notes" alter column "body" drop default;');
    const result = await push(db.url, { migrationsDir: project.migrations, lockFile: project.lock, reconcile: writeReconcile(project.root, text) });
    assert.deepEqual(result.applied.map((m) => m.version), ['20260302000000']);
    assert.equal(result.verify?.ok, true, result.verify?.errors.map((e) => e.message).join('\n'));
    assert.deepEqual((await db.pool.query('select id, legacy, body from public.notes order by id')).rows, [{ id: 1, legacy: 'a', body: '' }, { id: 2, legacy: 'b', body: '' }]);
  });

  it('wabase db reconcile writes supabase/reconcile/<ts>_<label>.sql; db push --reconcile applies it; a bad label is refused', async () => {
    const project = migrationProject({
      '20260301000000_items.sql': 'create table if not exists public.items (id int primary key, name text);\nalter table public.items enable row level security;\n',
    });
    await snapshot(adminUrl(), project.migrations, project.lock);
    const db = await freshDatabase({ empty: true });
    await push(db.url, { migrationsDir: project.migrations });
    await db.pool.query('grant insert on public.items to anon');
    const bad = await runCli(['db', 'reconcile', '--label', 'No Spaces'], { DATABASE_URL: db.url }, project.root);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--label: lowercase letters, digits and _ only/);
    const made = await runCli(['db', 'reconcile', '--label', 'anon_insert', '--json'], { DATABASE_URL: db.url }, project.root);
    assert.equal(made.code, 0, made.stderr);
    const file = (JSON.parse(made.stdout) as { file: string }).file;
    assert.match(path.relative(project.root, file), /^supabase\/reconcile\/\d{14}_anon_insert\.sql$/);
    assert.match(fs.readFileSync(file, 'utf8'), /-- \[safe\] anon holds INSERT on table items .*\nrevoke insert on table public\."items" from "anon";/);
    const pushed = await runCli(['db', 'push', '--skip-backup', '--reconcile', file], { DATABASE_URL: db.url }, project.root);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /reconciled: 1 statement\(s\)/);
    assert.equal((await one(db.pool, 'select has_table_privilege(\'anon\', \'public.items\', \'insert\') as ok')).ok, false);
  });

  it('--as-migration: drift at head becomes a guarded migration that runs twice without change and passes check-idempotent', async () => {
    const project = migrationProject({
      '20260301000000_items.sql': `create table if not exists public.items (id int primary key, name text);
alter table public.items enable row level security;
create index if not exists items_name_idx on public.items (name);
`,
    });
    await snapshot(adminUrl(), project.migrations, project.lock);
    const db = await freshDatabase({ empty: true });
    await push(db.url, { migrationsDir: project.migrations });
    await db.pool.query('drop index public.items_name_idx; grant select on public.items to public; alter table public.items alter column name set not null;');
    const plan = await planReconcile(db.url, { migrationsDir: project.migrations, lockFile: project.lock });
    project.add('20260302000000_reconcile_drift.sql', asMigration(plan));
    const report = await checkIdempotent(adminUrl(), project.migrations);
    assert.equal(report.ok, true, JSON.stringify(report.files));
    const result = await push(db.url, { migrationsDir: project.migrations });
    assert.deepEqual(result.applied.map((m) => m.version), ['20260302000000']);
    await snapshot(adminUrl(), project.migrations, project.lock);
    assert.deepEqual((await verify(db.url, project.lock)).errors.map((e) => e.message), []);
    // Run twice: the second run is a no-op.
    const again = fs.readFileSync(path.join(project.migrations, '20260302000000_reconcile_drift.sql'), 'utf8');
    for (const statement of again.split(/;\n/).filter((s) => s.replace(/--[^\n]*/g, '').trim())) await db.pool.query(statement);
    assert.deepEqual((await verify(db.url, project.lock)).errors.map((e) => e.message), []);
  });
});
