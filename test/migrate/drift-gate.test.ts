import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors.js';
import type { Finding } from '../../src/migrate/drift/classify.js';
import { readHistory } from '../../src/migrate/history.js';
import { push } from '../../src/migrate/push.js';
import { snapshot } from '../../src/migrate/snapshot.js';
import { runCli } from '../helpers/cli.js';
import { adminUrl, freshDatabase } from '../helpers/db.js';
import { migrationProject } from '../helpers/migrations.js';
import { one } from '../helpers/sql.js';

const A = '20260301000000_items.sql';
const B = '20260302000000_notes.sql';
const APPLIED = {
  [A]: `create table if not exists public.items (id int primary key, name text not null);
alter table public.items enable row level security;
create index if not exists items_name_idx on public.items (name);
create or replace function public.label(p_id int, p_suffix text default '') returns text language sql stable
  as $$ select 'item ' || p_id || p_suffix $$;
`,
};
const PENDING = {
  [B]: `-- notes: a table some databases already have, made by hand
create table if not exists public.notes (id int primary key, body text not null, author text);
alter table public.notes enable row level security;
create index if not exists notes_author_idx on public.notes (author);
grant select (id, body) on public.notes to authenticated;
select public.label(1);
`,
};

/** A database at version A (applied with the lock of A+B in place), then `drift` run by hand. */
async function driftedProject(drift: string) {
  const project = migrationProject({ ...APPLIED, ...PENDING });
  await snapshot(adminUrl(), project.migrations, project.lock);
  const db = await freshDatabase({ empty: true });
  const first = migrationProject(APPLIED);
  await push(db.url, { migrationsDir: first.migrations });
  if (drift) await db.pool.query(drift);
  return { project, db };
}

async function gateError(url: string, migrationsDir: string, lockFile: string): Promise<AppError> {
  let caught: unknown;
  await push(url, { migrationsDir, lockFile }).catch((error: unknown) => (caught = error));
  assert.ok(caught instanceof AppError, `expected the gate to stop the push, got ${String(caught)}`);
  assert.equal(caught.code, 'drift_blocks_push');
  return caught;
}

const findingsOf = (error: AppError) => (error.details as { findings: Finding[] }).findings;

describe(`drift gate in db push${process.env.WABASE_DRIFT_SERVER ? ` (${process.env.WABASE_DRIFT_SERVER})` : ''}`, () => {
  it('no drift: the checkpoint matches, the gate does not run, the pending file is applied', async () => {
    const { project, db } = await driftedProject('');
    const result = await push(db.url, { migrationsDir: project.migrations, lockFile: project.lock });
    assert.equal(result.drift?.checkpoint.clean, true);
    assert.equal(result.drift?.gate, null);
    assert.equal(result.drift?.rehearsal, null);
    assert.deepEqual(result.applied.map((m) => m.version), ['20260302000000']);
    assert.equal(result.verify?.ok, true);
  });

  it('a legacy table with fewer columns and rows: names the skipped create and the line that would fail, touches nothing', async () => {
    const { project, db } = await driftedProject(`
      create table public.notes (id int primary key, legacy text);
      insert into public.notes values (1, 'kept'), (2, 'kept too');`);
    const error = await gateError(db.url, project.migrations, project.lock);
    const finding = findingsOf(error).find((f) => f.object === 'table notes')!;
    assert.equal(finding.class, 'collision');
    assert.equal(finding.blocks, true);
    assert.match(error.message, /20260302000000_notes\.sql:2 `create table if not exists public\.notes .*` will be SKIPPED/);
    assert.match(error.message, /it lacks 2 column\(s\) the migration defines: body, author/);
    assert.match(error.message,
      /20260302000000_notes\.sql:4 `create index if not exists notes_author_idx .*` will FAIL: column "author" of "notes" does not exist/);
    assert.match(error.message, /nothing was changed[\s\S]*--accept-drift/);
    assert.deepEqual((await readHistory(db.pool)).map((h) => h.version), ['20260301000000']);
    assert.equal((await one(db.pool, 'select count(*)::int as n from public.notes')).n, 2);
  });

  it('--accept-drift passes the gate, but the rehearsal on a schema clone fails where the gate said: stopped before the backup', async () => {
    const { project, db } = await driftedProject('create table public.notes (id int primary key, legacy text)');
    let backups = 0;
    const backup = async () => ((backups += 1), { file: 'x', method: 'pg_dump' as const, bytes: 0, ms: 0 });
    const error = await push(db.url, { migrationsDir: project.migrations, lockFile: project.lock, acceptDrift: true, backup }).catch((e: unknown) => e);
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'rehearsal_failed');
    assert.match(error.message, /rehearsal failed ✗: 20260302000000_notes\.sql:4:\d+: column "author" does not exist/);
    assert.match(error.message, /nothing was changed/);
    assert.equal(backups, 0);
    assert.deepEqual((await readHistory(db.pool)).map((h) => h.version), ['20260301000000']);
    // Without the rehearsal it fails the same way on the live database, rolled back by the apply.
    await assert.rejects(push(db.url, { migrationsDir: project.migrations, lockFile: project.lock, acceptDrift: true, rehearse: false }),
      /20260302000000_notes\.sql:4:\d+: column "author" does not exist/);
    assert.deepEqual((await readHistory(db.pool)).map((h) => h.version), ['20260301000000']);
  });

  it('an anon grant on a managed table is security drift and stops the push', async () => {
    const { project, db } = await driftedProject('grant select on public.items to anon');
    const error = await gateError(db.url, project.migrations, project.lock);
    const finding = findingsOf(error).find((f) => f.object === 'grant on table items to anon')!;
    assert.equal(finding.class, 'security');
    assert.match(finding.lines[0]!, /anon gains SELECT/);
  });

  it('a loosened policy is security drift and stops the push', async () => {
    const policy = { '20260301000001_policy.sql': 'drop policy if exists items_own on public.items;\n' +
      'create policy items_own on public.items for select to authenticated using (id > 100);\n' };
    const project = migrationProject({ ...APPLIED, ...policy, ...PENDING });
    await snapshot(adminUrl(), project.migrations, project.lock);
    const db = await freshDatabase({ empty: true });
    await push(db.url, { migrationsDir: migrationProject({ ...APPLIED, ...policy }).migrations });
    await db.pool.query('alter policy items_own on public.items using (true)');
    const error = await gateError(db.url, project.migrations, project.lock);
    const finding = findingsOf(error).find((f) => f.object === 'policy items.items_own')!;
    assert.equal(finding.class, 'security');
    assert.match(finding.lines[0]!, /policy items\.items_own: using at version 20260301000001 is \(id > 100\), got true/);
  });

  it('a function overload that makes calls ambiguous is found, with the pending file that calls it', async () => {
    const { project, db } = await driftedProject(
      `create function public.label(p_id int) returns text language sql stable as $$ select 'x' $$`);
    const error = await gateError(db.url, project.migrations, project.lock);
    const finding = findingsOf(error).find((f) => f.class === 'ambiguous-overload')!;
    assert.equal(finding.object, 'function label(p_id integer)');
    assert.match(finding.fix, /drop function if exists public\.label\(integer\)/);
  });

  it('a duplicate index, an extra column and an unknown table are reported; the push goes on', async () => {
    const { project, db } = await driftedProject(`
      create index items_name_copy on public.items (name);
      create table public.scratchpad (id int); alter table public.scratchpad enable row level security;
      alter table public.items add column title text;`);
    const result = await push(db.url, { migrationsDir: project.migrations, lockFile: project.lock });
    assert.deepEqual(result.applied.map((m) => m.version), ['20260302000000']);
    const findings = result.drift!.gate!.findings;
    const classes = findings.map((f) => `${f.class} ${f.object}`).sort();
    assert.ok(classes.includes('duplicate-index index items_name_copy'), classes.join('\n'));
    assert.ok(classes.includes('extra table scratchpad'), classes.join('\n'));
    assert.ok(classes.includes('extra column items.title'), classes.join('\n'));
    assert.ok(findings.every((f) => !f.blocks));
    // Drift, so the push was rehearsed first (embedded 17 has no fitting pg_dump: the clone is generated).
    assert.match(result.drift!.rehearsal!.detail,
      /^rehearsed on a schema clone \((DDL generated from the catalog, no pg_dump 17|pg_dump 15)\): 1 pending file\(s\) passed/);
  });

  it('a column renamed by hand is a rename candidate, and the pending line that uses the old name fails', async () => {
    const project = migrationProject({ ...APPLIED, ...PENDING, '20260303000000_items_idx.sql': 'create index if not exists items_name_lower_idx on public.items (lower(name));\n' });
    await snapshot(adminUrl(), project.migrations, project.lock);
    const db = await freshDatabase({ empty: true });
    await push(db.url, { migrationsDir: migrationProject(APPLIED).migrations });
    await db.pool.query('alter table public.items rename column name to title');
    const error = await gateError(db.url, project.migrations, project.lock);
    const classes = findingsOf(error).map((f) => f.class);
    assert.ok(classes.includes('rename-candidate'), classes.join(', '));
    assert.match(error.message, /20260303000000_items_idx\.sql:1 .* will FAIL: column "name" of "items" does not exist/);
  });

  it('db push --json reports the classification and exits 1', async () => {
    const { project, db } = await driftedProject('create table public.notes (id int primary key)');
    const result = await runCli(['db', 'push', '--json', '--skip-backup', '--no-lint'], { DATABASE_URL: db.url }, project.root);
    assert.equal(result.code, 1);
    const body = JSON.parse(result.stdout) as { error: { code: string; findings: Finding[] } };
    assert.equal(body.error.code, 'drift_blocks_push');
    assert.ok(body.error.findings.some((f) => f.class === 'collision' && f.object === 'table notes' && f.blocks));
  });
});
