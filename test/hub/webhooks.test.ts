// Seed 000 m1 reliability and multi-connection routing smoke tests, on the webhook side.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testApp } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { APP_SECRET, imageChange, signedPost, statusChange, textChange, webhookBody } from '../helpers/meta.js';
import { createWorkspace, one } from '../helpers/sql.js';

describe('Meta webhooks', async () => {
  const db = await freshDatabase();
  const logLines: string[] = [];
  const { app } = await testApp(db, { META_APP_SECRET: APP_SECRET, META_WEBHOOK_VERIFY_TOKEN: 'verify-me' }, { logLines });
  const ws = await createWorkspace(db.pool, 'hub-ws');
  const connA = (await one<{ id: string }>(db.pool, 'insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-A\') returning id', [ws])).id;
  const connB = (await one<{ id: string }>(db.pool, 'insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-B\') returning id', [ws])).id;

  it('answers the verification handshake, and 403 for a wrong token', async () => {
    const ok = await app.inject({ method: 'GET', url: '/api/webhooks/meta/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.body, '1158201444');
    const bad = await app.inject({ method: 'GET', url: '/api/webhooks/meta/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1' });
    assert.equal(bad.statusCode, 403);
  });

  it('refuses a missing or wrong signature with 401', async () => {
    const body = JSON.stringify(webhookBody(textChange('PN-A', '6281', 'hi')));
    const missing = await app.inject({ method: 'POST', url: '/api/webhooks/meta/whatsapp', headers: { 'content-type': 'application/json' }, payload: body });
    assert.equal(missing.statusCode, 401);
    const wrong = await app.inject(signedPost(body, 'another-secret-xyz'));
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'invalid_signature');
  });

  it('answers bad JSON with 400 and a body over 3 MB with 413', async () => {
    const bad = await app.inject(signedPost('{"entry": ['));
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'invalid_json');
    const big = await app.inject(signedPost(`{"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`));
    assert.equal(big.statusCode, 413);
  });

  it('inbound A: thread and message get connection_id = A; unread, preview and last_message_at are set', async () => {
    const res = await app.inject(signedPost(webhookBody(textChange('PN-A', '628111', 'Halo, pesanan saya?', 'wamid.A1'))));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { ok: true, stored: 1, deduped: false, orphans: 0 });
    const thread = await one(db.pool, 'select * from wa_threads where contact_wa_id = \'628111\'');
    assert.equal(thread.connection_id, connA);
    assert.equal(thread.unread_count, 1);
    assert.equal(thread.contact_name, 'Sari');
    assert.equal(thread.last_message_preview, 'Halo, pesanan saya?');
    assert.ok(thread.last_message_at);
    const message = await one(db.pool, 'select * from wa_messages where wa_message_id = \'wamid.A1\'');
    assert.equal(message.connection_id, connA);
    assert.equal(message.direction, 'in');
  });

  it('the same payload POSTed twice: the second answers deduped=true and changes nothing', async () => {
    const body = webhookBody(textChange('PN-A', '628222', 'twice', 'wamid.TWICE'));
    assert.equal((await app.inject(signedPost(body))).json().deduped, false);
    const again = await app.inject(signedPost(body));
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().deduped, true);
    assert.equal((await one(db.pool, 'select unread_count from wa_threads where contact_wa_id = \'628222\'')).unread_count, 1);
    assert.equal((await one(db.pool, 'select count(*)::int as n from wa_messages where wa_message_id = \'wamid.TWICE\'')).n, 1);
  });

  it('dedupes per event, not per body: a re-sent message in a new batch is skipped, its neighbour stored', async () => {
    const res = await app.inject(signedPost(webhookBody(textChange('PN-A', '628222', 'twice', 'wamid.TWICE'), imageChange('PN-A', '628222', 'a photo', 'wamid.NEW'))));
    assert.deepEqual(res.json(), { ok: true, stored: 1, deduped: false, orphans: 0 });
    assert.equal((await one(db.pool, 'select last_message_preview as p from wa_threads where contact_wa_id = \'628222\'')).p, 'a photo');
  });

  it('inbound B: a new thread with connection_id = B', async () => {
    await app.inject(signedPost(webhookBody(textChange('PN-B', '628111', 'to B', 'wamid.B1'))));
    const threads = (await db.pool.query('select connection_id from wa_threads where contact_wa_id = \'628111\' order by phone_number_id')).rows;
    assert.deepEqual(threads.map((t) => t.connection_id), [connA, connB]);
  });

  it('statuses only move forward: a late "delivered" never undoes "read"; failed is terminal with its error', async () => {
    await db.pool.query(`insert into wa_messages (workspace_id, thread_id, connection_id, wa_message_id, direction, status)
      select $1, id, $2, 'wamid.OUT1', 'out', 'sent' from wa_threads where contact_wa_id = '628111' and phone_number_id = 'PN-A'`, [ws, connA]);
    const status = async () => (await one(db.pool, 'select status from wa_messages where wa_message_id = \'wamid.OUT1\'')).status;
    // A status wabase does not know, or "queued", never moves a message.
    await app.inject(signedPost(webhookBody(statusChange('PN-A', 'wamid.OUT1', 'warned'))));
    await app.inject(signedPost(webhookBody(statusChange('PN-A', 'wamid.OUT1', 'queued'))));
    assert.equal(await status(), 'sent');
    await app.inject(signedPost(webhookBody(statusChange('PN-A', 'wamid.OUT1', 'read'))));
    assert.equal(await status(), 'read');
    await app.inject(signedPost(webhookBody(statusChange('PN-A', 'wamid.OUT1', 'delivered'))));
    assert.equal(await status(), 'read');
    await app.inject(signedPost(webhookBody(statusChange('PN-A', 'wamid.OUT1', 'failed', { code: 131047, title: 'Re-engagement message' }))));
    const failed = await one(db.pool, 'select status, error_code, error_message from wa_messages where wa_message_id = \'wamid.OUT1\'');
    assert.deepEqual(failed, { status: 'failed', error_code: '131047', error_message: 'Re-engagement message' });
    await app.inject(signedPost(webhookBody(statusChange('PN-A', 'wamid.OUT1', 'read'))));
    assert.equal(await status(), 'failed');
  });

  it('a status never changes an inbound message, whenever it arrives', async () => {
    await app.inject(signedPost(webhookBody(statusChange('PN-A', 'wamid.IN.S', 'read'))));
    await app.inject(signedPost(webhookBody(textChange('PN-A', '628121', 'hello', 'wamid.IN.S'))));
    await app.inject(signedPost(webhookBody(statusChange('PN-A', 'wamid.IN.S', 'delivered'))));
    const res = await app.inject(signedPost(webhookBody(textChange('PN-A', '628121', 'again', 'wamid.IN.T'), statusChange('PN-A', 'wamid.IN.T', 'read'))));
    assert.equal(res.json().stored, 2);
    const rows = (await db.pool.query('select wa_message_id, status from wa_messages where wa_message_id like \'wamid.IN.%\' order by 1')).rows;
    assert.deepEqual(rows, [{ wa_message_id: 'wamid.IN.S', status: 'received' }, { wa_message_id: 'wamid.IN.T', status: 'received' }]);
  });

  it('a status for a message not known yet is stored pending, not done: it applies when the message appears', async () => {
    const res = await app.inject(signedPost(webhookBody(statusChange('PN-A', 'wamid.LATE', 'delivered'))));
    assert.deepEqual(res.json(), { ok: true, stored: 1, deduped: false, orphans: 0 });
    const event = await one(db.pool, 'select processed_at from meta_webhook_events where event_key = \'status:wamid.LATE:delivered\'');
    assert.equal(event.processed_at, null, 'pending until its message appears');
    // The message is recorded later (sent through the outbox): the pending status applies then.
    const thread = await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628111\' and phone_number_id = \'PN-A\'');
    const message = await one<{ id: string }>(db.pool, `insert into wa_messages (workspace_id, thread_id, connection_id, direction, status)
      values ($1, $2, $3, 'out', 'queued') returning id`, [ws, thread.id, connA]);
    const outbox = await one<{ id: string }>(db.pool, `insert into outbox_messages (workspace_id, connection_id, thread_id, message_id, to_phone, payload, idempotency_key, status)
      values ($1, $2, $3, $4, '628111', '{}', 'late-1', 'processing') returning id`, [ws, connA, thread.id, message.id]);
    await db.pool.query('select record_outbox_sent($1::uuid[], $2::text[])', [[outbox.id], ['wamid.LATE']]);
    assert.equal((await one(db.pool, 'select status from wa_messages where id = $1', [message.id])).status, 'delivered');
    assert.ok((await one(db.pool, 'select processed_at from meta_webhook_events where event_key = \'status:wamid.LATE:delivered\'')).processed_at);
  });

  it('a status racing our outbox recording its wamid is never lost: 100 races, 100 messages delivered', async () => {
    // Without the advisory lock in record_outbox_sent, 7 of 200 such races lost their status here.
    const thread = await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628111\' and phone_number_id = \'PN-A\'');
    const sends = await Promise.all(Array.from({ length: 100 }, async (_, i) => {
      const message = await one<{ id: string }>(db.pool, `insert into wa_messages (workspace_id, thread_id, connection_id, direction, status)
        values ($1, $2, $3, 'out', 'queued') returning id`, [ws, thread.id, connA]);
      const outbox = await one<{ id: string }>(db.pool, `insert into outbox_messages (workspace_id, connection_id, thread_id, message_id, to_phone, payload, idempotency_key, status)
        values ($1, $2, $3, $4, '628111', '{}', $5, 'processing') returning id`, [ws, connA, thread.id, message.id, `race-${i}`]);
      return { message: message.id, outbox: outbox.id, wamid: `wamid.RACE.${i}` };
    }));
    await Promise.all(sends.flatMap((s) => [
      app.inject(signedPost(webhookBody(statusChange('PN-A', s.wamid, 'delivered')))),
      db.pool.query('select record_outbox_sent($1::uuid[], $2::text[])', [[s.outbox], [s.wamid]]),
    ]));
    const statuses = (await db.pool.query('select status from wa_messages where id = any($1)', [sends.map((s) => s.message)])).rows.map((r) => r.status);
    assert.deepEqual(statuses, Array(100).fill('delivered'));
    assert.equal((await one(db.pool, 'select count(*)::int as n from meta_pending_statuses where wa_message_id like \'wamid.RACE.%\'')).n, 0);
  });

  it('handles a batch: several messages and statuses in one POST', async () => {
    const res = await app.inject(signedPost({
      object: 'whatsapp_business_account',
      entry: [
        { id: 'W1', changes: [textChange('PN-A', '628333', 'one', 'wamid.BATCH1'), textChange('PN-A', '628333', 'two', 'wamid.BATCH2')] },
        { id: 'W2', changes: [textChange('PN-B', '628444', 'three', 'wamid.BATCH3'), statusChange('PN-A', 'wamid.BATCH1', 'read')] },
      ],
    }));
    assert.deepEqual(res.json(), { ok: true, stored: 4, deduped: false, orphans: 0 });
    assert.equal((await one(db.pool, 'select unread_count from wa_threads where contact_wa_id = \'628333\'')).unread_count, 2);
    assert.equal((await one(db.pool, 'select connection_id from wa_messages where wa_message_id = \'wamid.BATCH3\'')).connection_id, connB);
  });

  it('one POST switching numbers routes every event to its own number, an unknown one in between included', async () => {
    const res = await app.inject(signedPost(webhookBody(
      textChange('PN-A', '628901', 'a', 'wamid.MIX1'), textChange('PN-NOPE', '628902', 'x', 'wamid.MIX2'),
      textChange('PN-B', '628903', 'b', 'wamid.MIX3'), textChange('PN-A', '628904', 'a again', 'wamid.MIX4'))));
    assert.deepEqual(res.json(), { ok: true, stored: 3, deduped: false, orphans: 1 });
    const routed = await db.pool.query('select wa_message_id, connection_id from wa_messages where wa_message_id like \'wamid.MIX%\' order by 1');
    assert.deepEqual(routed.rows, [
      { wa_message_id: 'wamid.MIX1', connection_id: connA }, { wa_message_id: 'wamid.MIX3', connection_id: connB }, { wa_message_id: 'wamid.MIX4', connection_id: connA },
    ]);
  });

  it('orphan events: unknown phone_number_id is stored, answered 200, and logged with "orphan event"', async () => {
    const res = await app.inject(signedPost(webhookBody(textChange('PN-UNKNOWN', '628555', 'who?', 'wamid.ORPHAN'))));
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().orphans, 1);
    const orphan = await one(db.pool, 'select phone_number_id, reason, event_key from orphan_webhook_events where event_key = \'msg:wamid.ORPHAN\'');
    assert.deepEqual(orphan, { phone_number_id: 'PN-UNKNOWN', reason: 'unknown_phone_number_id', event_key: 'msg:wamid.ORPHAN' });
    assert.ok(logLines.some((line) => line.includes('orphan event')));
  });

  it('an inactive connection gets orphans too', async () => {
    await db.pool.query('update wa_phone_numbers set status = \'inactive\' where id = $1', [connB]);
    const res = await app.inject(signedPost(webhookBody(textChange('PN-B', '628666', 'hello?', 'wamid.INACTIVE'))));
    assert.equal(res.json().orphans, 1);
    assert.equal((await one(db.pool, 'select reason from orphan_webhook_events where event_key = \'msg:wamid.INACTIVE\'')).reason, 'connection_inactive');
    await db.pool.query('update wa_phone_numbers set status = \'active\' where id = $1', [connB]);
  });

  it('stores a payload shape it does not know and answers 200', async () => {
    const odd = { object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'account_update', value: { metadata: { phone_number_id: 'PN-A' }, event: 'VERIFIED' } }] }] };
    const res = await app.inject(signedPost(odd));
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().stored, 1);
    const notMeta = await app.inject(signedPost({ hello: 'world' }));
    assert.equal(notMeta.statusCode, 200);
    assert.equal(notMeta.json().orphans, 1);
  });

  it('odd field values in a known shape are stored, never a 5xx', async () => {
    const change = textChange('PN-A', '628888', 'x', 'wamid.ODD') as { value: { messages: Record<string, unknown>[] } };
    change.value.messages[0]!.timestamp = 'not-a-number';
    change.value.messages[0]!.text = { body: { nested: true } };
    const res = await app.inject(signedPost(webhookBody(change)));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().stored, 1);
    const status = statusChange('PN-A', 'wamid.ODD', 'read') as { value: { statuses: Record<string, unknown>[] } };
    status.value.statuses[0]!.timestamp = '9'.repeat(40);
    assert.equal((await app.inject(signedPost(webhookBody(status)))).statusCode, 200);
  });

  it('what JSON allows and PostgreSQL refuses (U+0000, lone surrogates, also in keys) is kept as U+FFFD, never a 5xx', async () => {
    const change = textChange('PN-A', '628666', 'nul \u0000 and half \ud83d here', 'wamid.NUL', 'Na\u0000me') as { value: Record<string, unknown> };
    change.value['odd\u0000key'] = 'x';
    const res = await app.inject(signedPost(webhookBody(change)));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().stored, 1);
    const row = await one(db.pool, 'select m.text, t.contact_name from wa_messages m join wa_threads t on t.id = m.thread_id where m.wa_message_id = \'wamid.NUL\'');
    assert.deepEqual(row, { text: 'nul \uFFFD and half \uFFFD here', contact_name: 'Na\uFFFDme' });
    const event = await one(db.pool, 'select payload from meta_webhook_events where event_key = \'msg:wamid.NUL\'');
    assert.equal((event.payload as { text: { body: string } }).text.body, 'nul \uFFFD and half \uFFFD here');
  });

  it('the same event POSTed 50 times at once is stored once', async () => {
    const body = webhookBody(textChange('PN-A', '628777', 'storm', 'wamid.STORM'));
    const results = await Promise.all(Array.from({ length: 50 }, () => app.inject(signedPost(body))));
    for (const res of results) assert.equal(res.statusCode, 200, res.body);
    assert.equal(results.filter((res) => res.json().stored === 1).length, 1);
    assert.equal((await one(db.pool, 'select count(*)::int as n from wa_messages where wa_message_id = \'wamid.STORM\'')).n, 1);
    assert.equal((await one(db.pool, 'select unread_count from wa_threads where contact_wa_id = \'628777\'')).unread_count, 1);
  });
});
