import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { projectPaths, readMigrations } from '../../src/migrate/files.js';
import { push } from '../../src/migrate/push.js';
import { verify } from '../../src/migrate/verify.js';
import { freshDatabase } from '../helpers/db.js';
import { one } from '../helpers/sql.js';

const paths = projectPaths();
const migration = (prefix: string) =>
  fs.readFileSync(path.join(paths.migrations, fs.readdirSync(paths.migrations).find((f) => f.startsWith(prefix))!), 'utf8');

describe('drift: a legacy database is brought current by db push', () => {
  it('reconciles NOT NULL value, legacy names, a duplicate index and threads without connection_id, losing no data', async () => {
    const db = await freshDatabase({ empty: true });
    // What a team had before wabase: the early schema run by hand (no history), then legacy shapes.
    for (const prefix of ['20260101000000', '20260101000100', '20260105000000', '20260115000000']) {
      await db.pool.query(migration(prefix));
    }
    await db.pool.query(`
      create table public.workspace_entitlements (
        workspace_id uuid not null references public.workspaces (id) on delete cascade,
        key text not null,
        is_enabled boolean not null default false,
        value jsonb not null,
        updated_at timestamptz not null default now(),
        primary key (workspace_id, key)
      );
      create unique index workspace_entitlements_ws_key_uidx on public.workspace_entitlements (workspace_id, key);
      create table public.workspace_token_balance (
        workspace_id uuid primary key references public.workspaces (id) on delete cascade,
        balance bigint not null default 0 check (balance >= 0),
        updated_at timestamptz not null default now()
      );
      -- The ambiguous version the seed fixed.
      create function public.apply_workspace_token_delta(p_workspace_id uuid, p_delta bigint, p_reason text,
        p_ref_type text default 'adjustment', p_ref_id text default null, p_actor uuid default null)
      returns table (applied boolean, ledger_id uuid, balance bigint) language plpgsql as $$
      begin
        return query select true, null::uuid, balance from public.workspace_token_balance where workspace_id = p_workspace_id;
      end $$;
    `);
    const ws = await one<{ id: string }>(db.pool, 'insert into workspaces (slug, name) values (\'legacy\', \'Legacy\') returning id');
    await db.pool.query(`insert into workspace_entitlements (workspace_id, key, is_enabled, value) values
      ($1, 'core_os', true, '{"tier":"gold"}'), ($1, 'meta_hub', false, '{}')`, [ws.id]);
    await db.pool.query('insert into workspace_token_balance (workspace_id, balance) values ($1, 42)', [ws.id]);
    const conn = await one<{ id: string }>(db.pool,
      'insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-LEGACY\') returning id', [ws.id]);
    await db.pool.query('insert into wa_threads (workspace_id, phone_number_id, contact_wa_id) values ($1, \'PN-LEGACY\', \'6281\')', [ws.id]);

    const result = await push(db.url, { migrationsDir: paths.migrations });
    assert.equal(result.applied.length, (await readMigrations(paths.migrations)).length);

    const entitlements = (await db.pool.query('select key, enabled, payload, value from workspace_entitlements order by key')).rows;
    assert.deepEqual(entitlements, [
      { key: 'core_os', enabled: true, payload: { tier: 'gold' }, value: { tier: 'gold' } },
      { key: 'meta_hub', enabled: false, payload: {}, value: {} },
    ]);
    // A write that does not set value no longer fails with 23502.
    await db.pool.query('select * from set_workspace_entitlement(\'legacy\', \'ops_console\', true)');
    assert.equal((await one(db.pool, 'select count(*)::int as n from pg_indexes where indexname = \'workspace_entitlements_ws_key_uidx\'')).n, 0);
    assert.equal((await one(db.pool, 'select connection_id from wa_threads')).connection_id, conn.id);
    const grant = await one(db.pool, 'select * from apply_workspace_token_delta($1, 8, \'after drift\')', [ws.id]);
    assert.equal(grant.balance, 50);

    const verified = await verify(db.url, paths.lock);
    assert.deepEqual(verified.errors.map((e) => e.message), []);
  });
});
