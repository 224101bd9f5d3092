// Seed 000's verify queries and sanity checks, each run as written in the seed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freshDatabase } from '../helpers/db.js';
import { createUser, createWorkspace, one } from '../helpers/sql.js';

const routingFile = path.join(import.meta.dirname, '../../supabase/migrations/20260123090000_wa_connection_id_routing.sql');

describe('seed 000 verify queries', async () => {
  const db = await freshDatabase();
  const q = (sql: string) => db.pool.query(sql).then((r) => r.rows);

  it('20260120 fix: workspace_entitlements.value is nullable', async () => {
    const rows = await q('SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name=\'workspace_entitlements\' AND column_name=\'value\';');
    assert.deepEqual(rows, [{ column_name: 'value', is_nullable: 'YES' }]);
  });

  it('m1: meta_webhook_events uniqueness on event_key', async () => {
    const rows = await q('SELECT count(*) FROM pg_indexes WHERE tablename=\'meta_webhook_events\' AND indexdef ILIKE \'%event_key%\';');
    assert.ok(Number(rows[0]!.count) >= 1);
  });

  it('m1: rate limiter function exists', async () => {
    const rows = await q('SELECT oid::regprocedure FROM pg_proc WHERE proname=\'take_rate_limit_slot\';');
    assert.deepEqual(rows.map((r) => r.oid), ['take_rate_limit_slot(text,integer,integer)']);
  });

  it('m1: outbox uniqueness on idempotency_key', async () => {
    const rows = await q('SELECT count(*) FROM pg_indexes WHERE tablename=\'outbox_messages\' AND indexdef ILIKE \'%idempotency_key%\';');
    assert.ok(Number(rows[0]!.count) >= 1);
  });

  it('saved views: RLS enabled, unique constraint and indexes', async () => {
    assert.deepEqual(await q('SELECT tablename, rowsecurity FROM pg_tables WHERE tablename=\'wa_saved_views\';'), [
      { tablename: 'wa_saved_views', rowsecurity: true },
    ]);
    assert.deepEqual(await q('SELECT conname FROM pg_constraint WHERE conrelid=\'wa_saved_views\'::regclass AND contype=\'u\';'), [
      { conname: 'wa_saved_views_workspace_id_user_id_name_key' },
    ]);
    const indexes = (await q('SELECT indexname FROM pg_indexes WHERE tablename=\'wa_saved_views\';')).map((r) => r.indexname);
    for (const name of ['wa_saved_views_pkey', 'wa_saved_views_user_idx', 'wa_saved_views_workspace_idx']) {
      assert.ok(indexes.includes(name), name);
    }
  });

  it('saved views: the seed basic CRUD works as written', async () => {
    const user = await createUser(db.pool, 'crud@example.com');
    const workspace = await createWorkspace(db.pool, 'crud-ws', [user]);
    await db.pool.query(`INSERT INTO wa_saved_views (workspace_id, user_id, name, filters)
      VALUES ('${workspace}', '${user}', 'Test View', '{"status":"open","tag":"urgent"}'::jsonb);`);
    const rows = await q(`SELECT id, name, filters FROM wa_saved_views WHERE user_id = '${user}';`);
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0]!.filters, { status: 'open', tag: 'urgent' });
    await db.pool.query(`DELETE FROM wa_saved_views WHERE user_id = '${user}' AND name = 'Test View';`);
    assert.equal((await q(`SELECT id FROM wa_saved_views WHERE user_id = '${user}';`)).length, 0);
  });

  it('routing: threads get connection_id backfilled, consistent with wa_phone_numbers', async () => {
    const workspace = await createWorkspace(db.pool, 'routing-ws');
    const connection = await one<{ id: string }>(db.pool,
      'insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-ROUTE-1\') returning id', [workspace]);
    const thread = await one<{ id: string }>(db.pool,
      'insert into wa_threads (workspace_id, phone_number_id, contact_wa_id) values ($1, \'PN-ROUTE-1\', \'628111\') returning id', [workspace]);
    await db.pool.query('insert into wa_messages (workspace_id, thread_id, direction, status) values ($1, $2, \'in\', \'received\')', [workspace, thread.id]);
    // Rows written before the routing migration have no connection_id: run it again, as a push would.
    await db.pool.query(fs.readFileSync(routingFile, 'utf8'));
    const rows = await q(`SELECT t.id, t.phone_number_id, t.connection_id, c.phone_number_id as conn_phone
      FROM wa_threads t
      LEFT JOIN wa_phone_numbers c ON t.connection_id = c.id
      WHERE t.connection_id IS NOT NULL
      LIMIT 10;`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.connection_id, connection.id);
    assert.equal(rows[0]!.phone_number_id, rows[0]!.conn_phone);
    assert.equal((await q('SELECT COUNT(*)::int as n FROM wa_threads WHERE connection_id IS NOT NULL;'))[0]!.n, 1);
    assert.equal((await q(`SELECT count(*)::int as n FROM wa_messages WHERE connection_id = '${connection.id}'`))[0]!.n, 1);
  });

  it('routing: orphan events table exists and connection indexes are there', async () => {
    assert.deepEqual(await q('SELECT COUNT(*)::int as count FROM orphan_webhook_events;'), [{ count: 0 }]);
    const names = (await q('SELECT indexname FROM pg_indexes WHERE tablename IN (\'wa_threads\',\'wa_messages\',\'orphan_webhook_events\') AND indexname LIKE \'%connection%\' OR indexname LIKE \'%orphan%\';'))
      .map((r) => r.indexname);
    for (const name of ['wa_threads_connection_id_idx', 'wa_messages_connection_id_idx', 'orphan_webhook_events_pkey']) {
      assert.ok(names.includes(name), name);
    }
  });

  it('regression sanity checks: entitlement RPCs return rows without ambiguity errors', async () => {
    const workspace = await createWorkspace(db.pool, 'coba-gigaviz');
    const first = await q('select * from public.set_workspace_entitlement(\'coba-gigaviz\',\'meta_hub\',true,null,\'owner grant\');');
    assert.equal(first.length, 1);
    assert.equal(first[0]!.key, 'meta_hub');
    assert.equal(first[0]!.enabled, true);
    assert.deepEqual(first[0]!.payload, {});
    const second = await q(`select * from public.set_workspace_entitlement_payload('${workspace}','core_os',true,'{}'::jsonb,null,'owner grant');`);
    assert.equal(second.length, 1);
    assert.equal(second[0]!.workspace_id, workspace);
    assert.deepEqual(second[0]!.payload, {});
  });

  it('the seed\'s owner_members upsert works as written', async () => {
    const user = await createUser(db.pool, 'owner-seed@example.com');
    const upsert = `insert into owner_members (user_id, email, role, active)
values ('${user}', 'owner@example.com', 'owner', true)
on conflict (user_id) do update set email=excluded.email, role=excluded.role, active=true;`;
    await db.pool.query(upsert);
    await db.pool.query(`update owner_members set active = false where user_id = '${user}'`);
    await db.pool.query(upsert);
    assert.deepEqual(await q(`select email, role, active from owner_members where user_id = '${user}'`), [
      { email: 'owner@example.com', role: 'owner', active: true },
    ]);
  });
});
