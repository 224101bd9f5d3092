import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshDatabase } from '../helpers/db.js';
import { asAnon, asUser, createUser, createWorkspace, one } from '../helpers/sql.js';

describe('row level security', async () => {
  const db = await freshDatabase();
  const alice = await createUser(db.pool, 'alice@rls.example');
  const bob = await createUser(db.pool, 'bob@rls.example');
  const mallory = await createUser(db.pool, 'mallory@rls.example');
  const ws = await createWorkspace(db.pool, 'rls-ws', [alice, bob]);
  await db.pool.query('insert into wa_threads (workspace_id, phone_number_id, contact_wa_id) values ($1, \'PN1\', \'62811\')', [ws]);

  it('user A cannot read or change user B\'s saved views, even in the same workspace', async () => {
    await asUser(db.pool, alice, 'insert into wa_saved_views (workspace_id, user_id, name) values ($1, $2, \'Mine\')', [ws, alice]);
    assert.equal((await asUser(db.pool, alice, 'select name from wa_saved_views')).length, 1);
    assert.equal((await asUser(db.pool, bob, 'select name from wa_saved_views')).length, 0);
    const updated = await asUser(db.pool, bob, 'update wa_saved_views set name = \'Stolen\' returning id');
    assert.equal(updated.length, 0);
    const deleted = await asUser(db.pool, bob, 'delete from wa_saved_views returning id');
    assert.equal(deleted.length, 0);
    await assert.rejects(
      asUser(db.pool, bob, 'insert into wa_saved_views (workspace_id, user_id, name) values ($1, $2, \'Forged\')', [ws, alice]),
      { code: '42501' },
    );
    // B can use the same name for their own view.
    await asUser(db.pool, bob, 'insert into wa_saved_views (workspace_id, user_id, name) values ($1, $2, \'Mine\')', [ws, bob]);
    assert.equal((await one(db.pool, 'select count(*)::int as n from wa_saved_views')).n, 2);
  });

  it('a non-member sees no threads of a workspace; a member does', async () => {
    assert.equal((await asUser(db.pool, mallory, 'select id from wa_threads')).length, 0);
    assert.equal((await asUser(db.pool, alice, 'select id from wa_threads')).length, 1);
    assert.equal((await asUser(db.pool, mallory, 'update wa_threads set status = \'closed\' returning id')).length, 0);
  });

  it('anon reads nothing', async () => {
    for (const table of ['workspaces', 'wa_threads', 'wa_messages', 'wa_saved_views', 'messages', 'groups', 'wa_sessions', 'outbox_messages']) {
      assert.equal((await asAnon(db.pool, `select * from public.${table}`)).length, 0, table);
    }
  });

  it('members never read connection access tokens', async () => {
    await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id, access_token_enc) values ($1, \'PN-T\', \'cipher\')', [ws]);
    const rows = await asUser(db.pool, alice, 'select phone_number_id from wa_phone_numbers');
    assert.deepEqual(rows, [{ phone_number_id: 'PN-T' }]);
    await assert.rejects(asUser(db.pool, alice, 'select access_token_enc from wa_phone_numbers'), { code: '42501' });
  });

  it('the server-only functions (outbox claim, rate limiter, webhook ingest) refuse anon and signed-in users', async () => {
    await db.pool.query(`insert into outbox_messages (workspace_id, to_phone, idempotency_key) values ($1, '62811', 'rls-claim')`, [ws]);
    const calls = [
      'select * from public.claim_outbox(10, \'thief\')',
      'select public.take_rate_limit_slot(\'send:victim\', 1, 60)',
      'select * from public.take_sliding_rate_limit_slot(\'auth:victim\', 1, 60)',
      'select public.ingest_meta_webhook_events(\'[]\'::jsonb)',
    ];
    for (const sql of calls) {
      await assert.rejects(asAnon(db.pool, sql), { code: '42501' }, sql);
      await assert.rejects(asUser(db.pool, alice, sql), { code: '42501' }, sql);
    }
    assert.equal((await one(db.pool, 'select status from outbox_messages where idempotency_key = \'rls-claim\'')).status, 'queued');
  });

  it('every public table has RLS enabled', async () => {
    const rows = (await db.pool.query('select tablename from pg_tables where schemaname = \'public\' and not rowsecurity')).rows;
    assert.deepEqual(rows, []);
  });
});
