import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded/server.js';
import { projectPaths } from '../../src/migrate/files.js';
import { push } from '../../src/migrate/push.js';
import { renderReconcile } from '../../src/migrate/reconcile/file.js';
import { planReconcile } from '../../src/migrate/reconcile/generate.js';
import { cloneSchema } from '../../src/migrate/clone/clone-schema.js';
import { createScratchDatabase } from '../../src/migrate/scratch-db.js';
import { snapshot } from '../../src/migrate/snapshot.js';
import { migrationProject } from '../helpers/migrations.js';

const pg15 = '/usr/lib/postgresql/15/bin';
const present = fs.existsSync(path.join(pg15, 'postgres')) && fs.existsSync(path.join(pg15, 'pg_dump'));
const repo = projectPaths();

/** The rehearsal needs a pg_dump at least as new as the server: Debian's 15 tools and a 15 server. */
describe('reconcile rehearsal on a schema clone (PostgreSQL 15, pg_dump 15)', { skip: !present && 'no PostgreSQL 15 server and pg_dump' }, () => {
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let counter = 0;
  const database = async () => {
    const name = `rehearse_${process.pid}_${counter++}`;
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(server.url());
    url.pathname = `/${name}`;
    return url.toString();
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-rehearse15-'));
  before(async () => {
    fs.chmodSync(dir, 0o755);
    server = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'), port: 54734, password: 'pw',
      binaries: { initdb: path.join(pg15, 'initdb'), pg_ctl: path.join(pg15, 'pg_ctl'), postgres: path.join(pg15, 'postgres') },
    });
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('proves a reconcile plus the pending files end at the lock, and says so in the header', async () => {
    const url = await database();
    const behind = migrationProject({});
    const files = fs.readdirSync(repo.migrations).filter((f) => f.endsWith('.sql')).sort().slice(0, -2);
    for (const file of files) fs.copyFileSync(path.join(repo.migrations, file), path.join(behind.migrations, file));
    await push(url, { migrationsDir: behind.migrations });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('grant select on public.auth_sessions to anon');
    await client.end();
    const plan = await planReconcile(url, { migrationsDir: repo.migrations, lockFile: repo.lock });
    assert.equal(plan.rehearsal?.ok, true, plan.rehearsal?.detail);
    assert.match(renderReconcile(plan),
      /-- proof: {4}rehearsed on a schema clone \(pg_dump 15\): reconcile \+ 2 pending file\(s\) passed; final catalog == schema\.lock\.json ✓/);
  });

  it('a reconcile that leaves a manual item undone fails its rehearsal, naming the pending line', async () => {
    const project = migrationProject({
      '20260301000000_items.sql': 'create table if not exists public.items (id int primary key);\nalter table public.items enable row level security;\n',
      '20260302000000_notes.sql': `create table if not exists public.notes (id int primary key, body text not null);
alter table public.notes enable row level security;
grant select (id, body) on public.notes to authenticated;
`,
    });
    await snapshot(server.url(), project.migrations, project.lock);
    const url = await database();
    const first = migrationProject({ '20260301000000_items.sql': fs.readFileSync(path.join(project.migrations, '20260301000000_items.sql'), 'utf8') });
    await push(url, { migrationsDir: first.migrations });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('create table public.notes (id int primary key); insert into public.notes values (1)');
    await client.end();
    const plan = await planReconcile(url, { migrationsDir: project.migrations, lockFile: project.lock });
    assert.equal(plan.rehearsal?.ran, true);
    assert.equal(plan.rehearsal?.ok, false);
    assert.match(plan.rehearsal!.detail, /rehearsal failed ✗: 20260302000000_notes\.sql:3:\d+: column "body" of relation "notes" does not exist/);
  });

  it('without pg_dump (forced): the clone generated from the catalog dumps exactly as the live database, and the proof says how it was made', async () => {
    const url = await database();
    await push(url, { migrationsDir: repo.migrations });
    const scratch = await createScratchDatabase(url);
    const dump = (target: string) => spawnSync(path.join(pg15, 'pg_dump'), ['--schema-only', '--no-owner', '--dbname', target], { encoding: 'utf8' }).stdout
      .split('\n').filter((line) => !line.startsWith('--') && !line.startsWith('\\')).join('\n');
    try {
      const live = new pg.Client({ connectionString: url });
      const clone = new pg.Client({ connectionString: scratch.url });
      await live.connect();
      await clone.connect();
      assert.equal(await cloneSchema(live, clone, url, { method: 'catalog' }), 'DDL generated from the catalog, no pg_dump 15');
      await live.end();
      await clone.end();
      const [a, b] = [dump(url), dump(scratch.url)];
      assert.ok(a.length > 50_000, `dump of ${a.length} chars`);
      assert.equal(b, a);
    } finally {
      await scratch.drop();
    }
    const behind = migrationProject({});
    for (const file of fs.readdirSync(repo.migrations).filter((f) => f.endsWith('.sql')).sort().slice(0, -2)) {
      fs.copyFileSync(path.join(repo.migrations, file), path.join(behind.migrations, file));
    }
    const drifted = await database();
    await push(drifted, { migrationsDir: behind.migrations });
    const plan = await planReconcile(drifted, { migrationsDir: repo.migrations, lockFile: repo.lock, clone: { method: 'catalog' } });
    assert.equal(plan.rehearsal?.ok, true, plan.rehearsal?.detail);
    assert.match(plan.rehearsal!.detail,
      /^rehearsed on a schema clone \(DDL generated from the catalog, no pg_dump 15\): reconcile \+ 2 pending file\(s\) passed/);
  });
});
