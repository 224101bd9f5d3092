import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectPaths } from '../../src/migrate/files.js';
import { lintMigrations } from '../../src/migrate/lint/lint.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';
import { migrationProject } from '../helpers/migrations.js';

async function lint(sql: string) {
  const project = migrationProject({ '20260301000000_x.sql': sql });
  return (await lintMigrations(project.migrations)).findings;
}

const rules = (findings: { rule: string; severity: string }[]) => findings.filter((f) => f.severity === 'error').map((f) => f.rule);

describe('db lint', () => {
  it('passes the project\'s own migrations', async () => {
    const report = await lintMigrations(projectPaths().migrations);
    assert.deepEqual(report.findings.filter((f) => f.severity === 'error'), []);
  });

  it('idempotent: create without IF NOT EXISTS, drop without IF EXISTS, plain add column', async () => {
    const findings = await lint(`create index i on public.t (id);
drop table public.old;
alter table public.t add column c int;
insert into public.t values (1);`);
    assert.deepEqual(rules(findings), ['idempotent', 'idempotent', 'idempotent', 'idempotent']);
    assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => f.line), [1, 2, 3, 4]);
  });

  it('converge-columns: a create table if not exists whose columns later lines use without add column if not exists', async () => {
    const bad = await lint(`-- a table some databases made by hand
create table if not exists public.t (id int primary key, owner text, note text);
alter table public.t enable row level security;
create index if not exists t_owner_idx on public.t (owner);
grant select (id, note) on public.t to authenticated;`);
    const found = bad.filter((f) => f.rule === 'converge-columns');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.line, 2);
    assert.match(found[0]!.message, /owner \(20260301000000_x\.sql:4\), id \(20260301000000_x\.sql:5\), note \(20260301000000_x\.sql:5\)/);
    const good = await lint(`create table if not exists public.t (id int primary key, owner text, note text);
-- wabase:converge
alter table public.t add column if not exists id int primary key, add column if not exists owner text, add column if not exists note text;
-- wabase:end-converge
alter table public.t enable row level security;
create index if not exists t_owner_idx on public.t (owner);
grant select (id, note) on public.t to authenticated;`);
    assert.deepEqual(good.filter((f) => f.rule === 'converge-columns'), []);
  });

  it('converge-columns: a DO block that names the column counts as providing it', async () => {
    const findings = await lint(`create table if not exists public.t (id int primary key, state text);
alter table public.t enable row level security;
do $$ begin
  if not exists (select 1 from information_schema.columns where table_name = 't' and column_name = 'state') then
    alter table public.t rename column status to state;
  end if;
end $$;
alter table public.t add column if not exists id int;
create index if not exists t_state_idx on public.t (state);`);
    assert.deepEqual(findings.filter((f) => f.rule === 'converge-columns'), []);
  });

  it('idempotent: create policy needs a guarded drop first; create trigger too', async () => {
    const bad = await lint('create policy p on public.t using (true);\ncreate trigger tg after insert on public.t for each row execute function f();');
    assert.deepEqual(rules(bad), ['idempotent', 'idempotent']);
    const good = await lint(`drop policy if exists p on public.t;
create policy p on public.t using (true);
drop trigger if exists tg on public.t;
create trigger tg after insert on public.t for each row execute function f();`);
    assert.deepEqual(rules(good), []);
  });

  it('idempotent: add constraint must be guarded', async () => {
    const findings = await lint('alter table public.t add constraint c check (id > 0);');
    assert.match(findings[0]!.message, /guard ADD CONSTRAINT/);
  });

  it('RLS enabled on every new public table', async () => {
    assert.deepEqual(rules(await lint('create table if not exists public.t (id int);')), ['rls-on-new-table']);
    assert.deepEqual(rules(await lint('create table if not exists public.t (id int);\nalter table public.t enable row level security;')), []);
  });

  it('security definer functions set search_path', async () => {
    const bad = await lint('create or replace function f() returns int language sql security definer as $$ select 1 $$;');
    assert.deepEqual(rules(bad), ['definer-search-path']);
    const good = await lint('create or replace function f() returns int language sql security definer set search_path = \'\' as $$ select 1 $$;');
    assert.deepEqual(rules(good), []);
  });

  it('includes squawk safety rules as warnings', async () => {
    const findings = await lint('alter table public.t alter column c set not null;');
    const squawk = findings.filter((f) => f.source === 'squawk');
    assert.deepEqual(squawk.map((f) => [f.rule, f.severity, f.line]), [['adding-not-nullable-field', 'warning', 1]]);
  });

  it('squawk checks a file push runs outside a transaction as such: a concurrent index build is no warning there', async (t) => {
    const project = migrationProject({
      '20260301000000_x.sql': 'create index concurrently if not exists t_c_idx on public.t (c);\ncreate index concurrently if not exists t_d_idx on public.t (d);\n',
    });
    const report = await lintMigrations(project.migrations);
    if (!report.squawk) return t.skip('squawk is not installed for this platform');
    // Checked as if in a transaction, squawk would flag ban-concurrent-index-creation-in-transaction.
    assert.deepEqual(report.findings.map((f) => f.rule), []);
  });

  it('a syntax error names the file, line and column', async () => {
    await assert.rejects(lint('select 1;\ncreate tabel x ();'), /20260301000000_x\.sql:2:8: syntax error at or near "tabel"/);
  });

  it('db push refuses pending files with lint errors unless --no-lint', async () => {
    const db = await freshDatabase({ empty: true });
    const project = migrationProject({ '20260301000000_x.sql': 'create table public.t (id int);\n' });
    const env = { DATABASE_URL: db.url, SKIP_DB_BACKUP: '1' };
    const refused = await runCli(['db', 'push'], env, project.root);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /lint errors[\s\S]*20260301000000_x\.sql:1:1 \[idempotent\]/);
    assert.equal((await db.pool.query('select to_regclass(\'public.t\') as t')).rows[0].t, null);
    const forced = await runCli(['db', 'push', '--no-lint'], env, project.root);
    assert.equal(forced.code, 0, forced.stderr);
  });
});
