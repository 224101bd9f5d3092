import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectPaths } from '../../src/migrate/files.js';
import { verify } from '../../src/migrate/verify.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';

const lock = projectPaths().lock;

describe('db verify', () => {
  it('passes on a database built by the migrations', async () => {
    const db = await freshDatabase();
    const result = await verify(db.url, lock);
    assert.equal(result.ok, true);
    assert.deepEqual(result.warnings, []);
  });

  it('catches a dropped index, a changed column, a disabled RLS flag and a missing bucket row', async () => {
    const db = await freshDatabase();
    await db.pool.query(`
      drop index public.messages_kind_idx;
      alter table public.workspace_entitlements alter column value set not null;
      alter table public.wa_saved_views disable row level security;
      delete from storage.buckets where id = 'wa-media';`);
    const result = await verify(db.url, lock);
    assert.equal(result.ok, false);
    assert.deepEqual(result.errors.map((e) => e.message).sort(), [
      'column workspace_entitlements.value: nullable expected YES, got NO',
      'index messages_kind_idx: missing',
      'row storage.buckets:wa-media: missing',
      'table wa_saved_views: rls expected true, got false',
    ]);
  });

  it('catches an index left invalid by a failed concurrent build, and says how to fix it', async () => {
    const db = await freshDatabase();
    // What a cancelled `create index concurrently` leaves behind: the index, marked not valid.
    await db.pool.query(`update pg_index set indisvalid = false where indexrelid = 'public.messages_kind_ts_idx'::regclass`);
    const result = await verify(db.url, lock);
    assert.equal(result.ok, false);
    assert.deepEqual(result.errors.map((e) => e.message), [
      'index messages_kind_ts_idx: invalid (a concurrent build failed): drop index concurrently messages_kind_ts_idx, then push again',
    ]);
  });

  it('reports objects the lock does not know as drift warnings, not errors', async () => {
    const db = await freshDatabase();
    await db.pool.query(`create table public.hand_made (id int); create index hand_made_idx on public.hand_made (id);
      alter table public.hand_made enable row level security;`);
    const result = await verify(db.url, lock);
    assert.equal(result.ok, true);
    assert.deepEqual(result.warnings.map((w) => w.message), [
      'table hand_made: not in the lock',
      'column hand_made.id: not in the lock',
      'index hand_made_idx: not in the lock',
    ]);
  });

  it('a hand-made table with RLS off that the API roles can reach is a security error', async () => {
    const db = await freshDatabase();
    await db.pool.query('create table public.hand_open (id int)');
    const result = await verify(db.url, lock);
    assert.equal(result.ok, false);
    assert.deepEqual(result.errors.map((e) => e.message), [
      'table hand_open: not in the lock (security: row level security is off and anon, authenticated can reach it)',
    ]);
    assert.deepEqual(result.warnings.map((w) => w.message), ['column hand_open.id: not in the lock']);
  });

  it('wabase db verify and db diff exit 1 with one line per difference', async () => {
    const db = await freshDatabase();
    await db.pool.query('alter table public.groups alter column name drop not null');
    const verified = await runCli(['db', 'verify'], { DATABASE_URL: db.url });
    assert.equal(verified.code, 1);
    assert.match(verified.stdout, /✗ column groups\.name: nullable expected NO, got YES/);
    const diff = await runCli(['db', 'diff', '--json'], { DATABASE_URL: db.url });
    assert.equal(diff.code, 1);
    assert.equal(JSON.parse(diff.stdout).changed[0].name, 'groups.name');
  });
});
