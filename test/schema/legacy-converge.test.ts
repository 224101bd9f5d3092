import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded/server.js';
import { projectPaths } from '../../src/migrate/files.js';
import { push } from '../../src/migrate/push.js';
import { verify } from '../../src/migrate/verify.js';
import { freshDatabase } from '../helpers/db.js';

const paths = projectPaths();
const compat = fs.readFileSync(path.join(paths.migrations, '20260101000000_supabase_compat.sql'), 'utf8');

/**
 * A production database from before the migrations: tables made by hand with a subset of the
 * columns, other nullability, no constraints, extra legacy columns with data, and rows.
 */
const LEGACY = `
create extension if not exists pgcrypto;
create table public.workspaces (id uuid primary key default gen_random_uuid(), slug text not null, name text);
insert into public.workspaces (slug, name) values ('legacy', 'Legacy'), ('old', 'Old');
create table public.wa_phone_numbers (id uuid primary key default gen_random_uuid(), workspace_id uuid,
  phone_number_id text, access_token_enc text, legacy_note text);
insert into public.wa_phone_numbers (workspace_id, phone_number_id, legacy_note) select id, 'PN-' || slug, 'keep me' from public.workspaces;
create table public.wa_threads (id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  phone_number_id text not null, contact_wa_id text not null, contact_name text not null);
insert into public.wa_threads (workspace_id, phone_number_id, contact_wa_id, contact_name) select id, 'PN-' || slug, '628', 'Ann' from public.workspaces;
create table public.messages (id uuid primary key default gen_random_uuid(), wa_msg_id text not null, ts timestamptz not null,
  chat_id text not null, sender text not null, kind text not null);
insert into public.messages (wa_msg_id, ts, chat_id, sender, kind) values ('m1', now(), 'c', 's', 'text');
`;

async function convergesOn(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(compat);
    await client.query(LEGACY);
    const result = await push(url, { migrationsDir: paths.migrations, lockFile: paths.lock });
    assert.equal(result.drift?.gate?.blocking.length, 0);
    // A drifted database: the push was rehearsed on a schema clone first, and the rehearsal passed.
    assert.match(result.drift?.rehearsal?.detail ?? '', /^rehearsed on a schema clone \((pg_dump 15|DDL generated from the catalog, no pg_dump 17)\): \d+ pending file\(s\) passed/);
    const collisions = result.drift!.gate!.findings.filter((f) => f.class === 'collision').map((f) => f.object).sort();
    assert.deepEqual(collisions, ['table messages', 'table wa_phone_numbers', 'table wa_threads', 'table workspaces']);
    assert.ok(result.verify?.ok, result.verify?.errors.map((e) => e.message).join('\n'));
    const verified = await verify(url, paths.lock);
    assert.deepEqual(verified.errors.map((e) => e.message), []);
    assert.deepEqual(verified.warnings.map((w) => w.message), ['column wa_phone_numbers.legacy_note: not in the lock']);
    const counts = await client.query(`select (select count(*)::int from public.workspaces) as w, (select count(*)::int from public.wa_threads) as t,
      (select count(*)::int from public.messages) as m, (select count(*)::int from public.wa_phone_numbers where legacy_note = 'keep me') as kept,
      (select count(*)::int from public.wa_threads where connection_id is not null) as routed`);
    assert.deepEqual(counts.rows[0], { w: 2, t: 2, m: 1, kept: 2, routed: 2 });
  } finally {
    await client.end();
  }
}

const pg15 = '/usr/lib/postgresql/15/bin';

/** Legacy data a migration cannot converge by itself: the gate counts it before anything runs. */
async function nullsStopThePush(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(compat);
    await client.query(LEGACY);
    await client.query('update public.workspaces set name = null where slug = \'old\'');
    await assert.rejects(push(url, { migrationsDir: paths.migrations, lockFile: paths.lock }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'drift_blocks_push');
      assert.match(error.message, /\[data-dependent\] column workspaces\.name\n/);
      assert.match(error.message, /20260105000000_tenancy_owner_console\.sql:\d+ `alter table public\.workspaces` will FAIL: /);
      assert.match(error.message, /will FAIL: 1 row\(s\) of workspaces have a null name/);
      return true;
    });
    assert.equal((await client.query('select to_regclass(\'supabase_migrations.schema_migrations\') as h')).rows[0].h, null);
  } finally {
    await client.end();
  }
}

describe('the migrations converge on a legacy database', () => {
  it('plain db push onto hand-made tables with fewer columns, other nullability and legacy columns: verify green, no row lost (PostgreSQL 17)', async () => {
    const db = await freshDatabase({ empty: true });
    await convergesOn(db.url);
  });

  it('a legacy column with nulls the migration makes NOT NULL: the gate counts them and stops before anything runs', async () => {
    const db = await freshDatabase({ empty: true });
    await nullsStopThePush(db.url);
  });

  it('the same on PostgreSQL 15', { skip: !fs.existsSync(path.join(pg15, 'postgres')) && 'no PostgreSQL 15 server binaries' }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-legacy15-'));
    fs.chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'),
      port: 54733,
      password: 'pw',
      binaries: { initdb: path.join(pg15, 'initdb'), pg_ctl: path.join(pg15, 'pg_ctl'), postgres: path.join(pg15, 'postgres') },
    });
    after(async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await convergesOn(server.url());
  });
});
