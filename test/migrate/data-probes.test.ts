import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded/server.js';
import { AppError } from '../../src/errors.js';
import type { Finding } from '../../src/migrate/drift/classify.js';
import { readHistory } from '../../src/migrate/history.js';
import { push } from '../../src/migrate/push.js';
import { snapshot } from '../../src/migrate/snapshot.js';
import { adminUrl, freshDatabase } from '../helpers/db.js';
import { migrationProject } from '../helpers/migrations.js';

const A = { '20260301000000_items.sql': `create table if not exists public.owners (id int primary key);
create table if not exists public.items (id int primary key, name text, qty bigint, owner_id int);
alter table public.owners enable row level security;
alter table public.items enable row level security;
alter table public.items add constraint items_short check (length(name) < 4) not valid;
` };
const B = { '20260302000000_items_rules.sql': `create unique index if not exists items_name_key on public.items (name);
alter table public.items add constraint items_qty_positive check (qty > 0 and qty <> 13);
alter table public.items add constraint items_owner_fk foreign key (owner_id) references public.owners (id);
alter table public.items validate constraint items_short;
alter table public.items alter column qty type integer;
alter table public.items add constraint items_name_lower check (name = lower(name)) not valid;
create unique index if not exists items_name_ci on public.items ((lower(name)) text_pattern_ops desc) where owner_id is not null;
create unique index if not exists items_name_positive on public.items (lower(name)) where qty > 0;
alter table public.items alter column qty type smallint using qty * 1000, alter column id type bigint using id::bigint;
` };
// Rows from before the NOT VALID check (it holds only for new rows): dropped and re-added around them.
const ROWS = `insert into public.owners values (1);
alter table public.items drop constraint items_short;
insert into public.items values (1, 'secret-a', 5, 1), (2, 'secret-a', -1, 2), (3, 'B', 3000000000, null);
alter table public.items add constraint items_short check (length(name) < 4) not valid;
create table public.scratchpad (id int); alter table public.scratchpad enable row level security;`;

/** Counts what each data-dependent pending statement would meet, on a database at A with rows (and an unrelated extra table: drift). */
async function probedOn(admin: string, url: string, major: number): Promise<void> {
  const project = migrationProject({ ...A, ...B });
  await snapshot(admin, project.migrations, project.lock);
  await push(url, { migrationsDir: migrationProject(A).migrations });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(ROWS);
    const error = await push(url, { migrationsDir: project.migrations, lockFile: project.lock }).catch((e: unknown) => e);
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'drift_blocks_push');
    const findings = (error.details as { findings: Finding[] }).findings.filter((f) => f.class === 'data-dependent');
    const lines = findings.map((f) => f.lines[0]!.replace(/^20260302000000_items_rules\.sql:/, '')).sort();
    const cast = major >= 16 ? ' (1 value(s) of items.qty do not cast)' : '';
    assert.deepEqual(lines, [
      '1 `create unique index if not exists items_name_key on public.items (name)` will FAIL: 1 value(s) of (name) in items are duplicated',
      '2 `alter table public.items add constraint items_qty_positive check (qty > 0 and qty <> 13)` will FAIL: 1 row(s) of items violate check items_qty_positive',
      '3 `alter table public.items add constraint items_owner_fk foreign key (owner_id) references public.owners (id)` will FAIL: ' +
      '1 row(s) of items reference no row of owners (foreign key items_owner_fk)',
      '4 `alter table public.items validate constraint items_short` will FAIL: 2 row(s) of items violate check items_short',
      `5 \`alter table public.items alter column qty type integer\` will FAIL: integer out of range${cast}`,
      // An expression index with an opclass and a predicate: only rows the predicate keeps collide (qty > 0 keeps no duplicate).
      '7 `create unique index if not exists items_name_ci on public.items ((lower(name)) text_pattern_ops desc) where owner_id is not null` will FAIL: ' +
      '1 value(s) of (lower(name)) in items where owner_id is not null are duplicated',
      // A USING expression is evaluated as written: 3,000,000,000,000 does not fit a smallint.
      '9 `alter table public.items alter column qty type smallint using qty * 1000, alter column id type bigint using id::bigint` will FAIL: ' +
      'smallint out of range',
    ]);
    assert.ok(findings.every((f) => f.blocks));
    // Counts only: no value of a row is ever printed.
    assert.doesNotMatch(error.message, /secret-a|3000000000/);
    assert.deepEqual((await readHistory(client)).map((h) => h.version), ['20260301000000']);
    // With the rows fixed, the probes pass and the push goes on.
    await client.query(`update public.items set name = 'b' || id, qty = 7, owner_id = 1; alter table public.items drop constraint items_short;
      alter table public.items add constraint items_short check (length(name) < 4) not valid`);
    const result = await push(url, { migrationsDir: project.migrations, lockFile: project.lock });
    assert.deepEqual(result.applied.map((m) => m.version), ['20260302000000']);
    assert.equal(result.drift?.gate?.findings.filter((f) => f.class === 'data-dependent').length, 0);
  } finally {
    await client.end();
  }
}

const pg15 = '/usr/lib/postgresql/15/bin';

describe('read-only data probes for pending statements that depend on data', () => {
  it('unique index, check, foreign key, validate and type change: each counted, the push stopped (PostgreSQL 17)', async () => {
    const db = await freshDatabase({ empty: true });
    await probedOn(adminUrl(), db.url, 17);
  });

  it('the same on PostgreSQL 15', { skip: !fs.existsSync(path.join(pg15, 'postgres')) && 'no PostgreSQL 15 server binaries' }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-probes15-'));
    fs.chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'), port: 54422, password: 'pw',
      binaries: { initdb: path.join(pg15, 'initdb'), pg_ctl: path.join(pg15, 'pg_ctl'), postgres: path.join(pg15, 'postgres') },
    });
    after(async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('create database probes');
    await admin.end();
    const url = new URL(server.url());
    url.pathname = '/probes';
    await probedOn(server.url(), url.toString(), 15);
  });
});
