// Seed 000 m1 smoke (queue -> worker marks sent) and multi-connection replies, on the sending side.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptSecret, encryptSecret } from '../../src/hub/crypto.js';
import { dryRunSender, graphSender, type Sender } from '../../src/hub/outbox/graph.js';
import { outboxTask } from '../../src/hub/outbox/worker-task.js';
import { ingestPost, sqlEvents } from '../../src/hub/webhook/ingest.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeGraph } from '../helpers/fake-graph.js';
import { statusChange, webhookBody } from '../helpers/meta.js';
import { serverLogger } from '../helpers/run-log.js';
import { registerSecret } from '../helpers/secrets.js';
import { createWorkspace, one } from '../helpers/sql.js';

const key = randomBytes(32);
const logger = serverLogger();

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('sending through the outbox', async () => {
  const db = await freshDatabase();
  const graph = await fakeGraph();
  const { app } = await testApp(db, { SEND_RATE_LIMIT: '1000' });
  const alice = await testUser(db, 'alice@hub.example');
  const outsider = await testUser(db, 'outsider@hub.example');
  const ws = await createWorkspace(db.pool, 'send-ws', [alice.id]);
  const connection = async (pnid: string, token: string) => {
    registerSecret(token, 'connection access token');
    return (await one<{ id: string }>(db.pool, 'insert into wa_phone_numbers (workspace_id, phone_number_id, access_token_enc) values ($1, $2, $3) returning id',
      [ws, pnid, encryptSecret(key, token)])).id;
  };
  const connA = await connection('PN-SA', 'conn-token-A');
  const connB = await connection('PN-SB', 'conn-token-B');
  const thread = async (conn: string | null, pnid: string, contact: string) =>
    (await one<{ id: string }>(db.pool, 'insert into wa_threads (workspace_id, connection_id, phone_number_id, contact_wa_id, customer_window_expires_at) values ($1, $2, $3, $4, now() + interval \'1 day\') returning id',
      [ws, conn, pnid, contact])).id;
  const threadA = await thread(connA, 'PN-SA', '628100');
  const threadB = await thread(connB, 'PN-SB', '628200');
  const send = (threadId: string, text: string, extra: Record<string, unknown> = {}, token = alice.token) =>
    app.inject({ method: 'POST', url: '/api/meta/whatsapp/send-text', headers: { authorization: `Bearer ${token}` }, payload: { workspaceId: ws, threadId, text, ...extra } });
  const worker = (sender: Sender, options: { maxAttempts?: number; encryptionKey?: Buffer | null } = {}) => {
    const task = outboxTask({
      pool: db.pool,
      url: db.url,
      sender,
      encryptionKey: options.encryptionKey === undefined ? key : options.encryptionKey,
      logger,
      maxAttempts: options.maxAttempts ?? 3,
      perConnectionPerSecond: 1000,
      pollMs: 50,
    });
    const controller = new AbortController();
    const done = task.run(controller.signal);
    return {
      stop: async () => {
        controller.abort();
        await done;
      },
    };
  };

  it('queue outbound: a row appears in outbox_messages with status queued', async () => {
    const res = await send(threadA, 'Pesanan sudah dikirim');
    assert.equal(res.statusCode, 202, res.body);
    const body = res.json();
    assert.equal(body.queued, true);
    const row = await one(db.pool, 'select status, connection_id, to_phone from outbox_messages where id = $1', [body.outboxId]);
    assert.deepEqual(row, { status: 'queued', connection_id: connA, to_phone: '628100' });
    assert.equal((await one(db.pool, 'select status from wa_messages where id = $1', [body.messageId])).status, 'queued');
  });

  it('the same idempotency key returns the same ids and queues nothing more', async () => {
    const first = (await send(threadA, 'once', { idempotencyKey: 'client-key-1' })).json();
    const again = (await send(threadA, 'once', { idempotencyKey: 'client-key-1' })).json();
    assert.equal(again.outboxId, first.outboxId);
    assert.equal(again.messageId, first.messageId);
    assert.equal(again.duplicate, true);
    assert.equal((await one(db.pool, 'select count(*)::int as n from outbox_messages where idempotency_key like \'%client-key-1\'')).n, 1);
  });

  it('a non-member using a known key learns nothing (404)', async () => {
    const res = await send(threadA, 'once', { idempotencyKey: 'client-key-1' }, outsider.token);
    assert.equal(res.statusCode, 404);
  });

  it('10 concurrent sends with one key queue one message, and all answer its ids', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => send(threadA, 'racing', { idempotencyKey: 'race-key' })));
    for (const res of results) assert.equal(res.statusCode, 202, res.body);
    assert.equal(new Set(results.map((res) => res.json().outboxId)).size, 1);
    assert.equal(new Set(results.map((res) => res.json().messageId)).size, 1);
    assert.equal((await one(db.pool, 'select count(*)::int as n from wa_messages where text = \'racing\'')).n, 1, 'losers leave no message behind');
  });

  it('run the worker: it sends and marks the outbox row and message sent; replies use their own number and token', async () => {
    const b = (await send(threadB, 'Reply on B')).json();
    const w = worker(graphSender(graph.url, 'v21.0'));
    await until(async () => (await one(db.pool, 'select count(*)::int as n from outbox_messages where status <> \'sent\'')).n === 0);
    await w.stop();
    const viaB = graph.requests.find((r) => (r.body.text as { body: string }).body === 'Reply on B')!;
    assert.equal(viaB.path, '/v21.0/PN-SB/messages');
    assert.equal(viaB.authorization, 'Bearer conn-token-B');
    assert.equal(viaB.body.to, '628200');
    const viaA = graph.requests.find((r) => (r.body.text as { body: string }).body === 'Pesanan sudah dikirim')!;
    assert.equal(viaA.path, '/v21.0/PN-SA/messages');
    assert.equal(viaA.authorization, 'Bearer conn-token-A');
    const message = await one(db.pool, 'select status, wa_message_id from wa_messages where id = $1', [b.messageId]);
    assert.equal(message.status, 'sent');
    assert.match(String(message.wa_message_id), /^wamid\.fake/);
  });

  it('statuses Meta sent before the send was recorded wait, then apply when the wamid is recorded (forward only)', async () => {
    const status = (wamid: string, value: string, error?: { code: number; title: string }) =>
      ingestPost(db.pool, sqlEvents(webhookBody(statusChange('PN-SA', wamid, value, error))));
    // The race with our own outbox: Meta's receipts for wamid.early.* arrive before recordSent commits.
    await status('wamid.early.1', 'read');
    await status('wamid.early.1', 'delivered');
    await status('wamid.early.2', 'failed', { code: 131026, title: 'Message undeliverable' });
    const pending = await one<{ n: number }>(db.pool, 'select count(*)::int as n from meta_webhook_events where event_key like \'status:wamid.early.%\' and processed_at is null');
    assert.equal(pending.n, 3, 'kept pending, not done');
    const ids = [(await send(threadA, 'early one')).json().messageId, (await send(threadA, 'early two')).json().messageId];
    const w = worker({ send: async (m) => ({ ok: true, wamid: (m.payload.text as { body: string }).body === 'early one' ? 'wamid.early.1' : 'wamid.early.2' }) });
    await until(async () => (await one(db.pool, 'select count(*)::int as n from outbox_messages where status <> \'sent\'')).n === 0);
    await w.stop();
    const rows = (await db.pool.query('select wa_message_id, status, error_code from wa_messages where id = any($1) order by wa_message_id', [ids])).rows;
    assert.deepEqual(rows, [
      { wa_message_id: 'wamid.early.1', status: 'read', error_code: null },
      { wa_message_id: 'wamid.early.2', status: 'failed', error_code: '131026' },
    ]);
    assert.equal((await one(db.pool, 'select count(*)::int as n from meta_webhook_events where event_key like \'status:wamid.early.%\' and processed_at is null')).n, 0);
    // Applied once: a re-delivery is a duplicate and changes nothing.
    assert.equal((await status('wamid.early.1', 'delivered')).duplicates, 1);
  });

  it('falls back to phone_number_id when a thread has no connection_id, and backfills it', async () => {
    const legacy = await thread(null, 'PN-SA', '628300');
    const res = await send(legacy, 'hello legacy');
    assert.equal(res.statusCode, 202, res.body);
    assert.equal((await one(db.pool, 'select connection_id from wa_threads where id = $1', [legacy])).connection_id, connA);
  });

  it('409 connection_inactive and connection_not_found', async () => {
    await db.pool.query('update wa_phone_numbers set status = \'inactive\' where id = $1', [connB]);
    const inactive = await send(threadB, 'to an inactive number');
    assert.equal(inactive.statusCode, 409);
    assert.equal(inactive.json().error.code, 'connection_inactive');
    const gone = await connection('PN-GONE', 't');
    const orphanThread = await thread(gone, 'PN-GONE', '628400');
    await db.pool.query('delete from wa_phone_numbers where id = $1', [gone]);
    const missing = await send(orphanThread, 'to a deleted number');
    assert.equal(missing.statusCode, 409);
    assert.equal(missing.json().error.code, 'connection_not_found');
    await db.pool.query('update wa_phone_numbers set status = \'active\' where id = $1', [connB]);
  });

  it('a non-member gets 404 and queues nothing', async () => {
    const res = await send(threadA, 'not mine', {}, outsider.token);
    assert.equal(res.statusCode, 404);
    assert.equal((await one(db.pool, 'select count(*)::int as n from wa_messages where text = \'not mine\'')).n, 0);
  });

  it('a text PostgreSQL cannot store (U+0000) is a 400, and queues nothing', async () => {
    const res = await send(threadA, 'nul \u0000 inside');
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'invalid_input');
    assert.equal((await one(db.pool, 'select count(*)::int as n from wa_messages where text like \'nul %\'')).n, 0);
  });

  it('rate limits per workspace with 429 and Retry-After', async () => {
    const { app: strict } = await testApp(db, { SEND_RATE_LIMIT: '1' });
    const ws2 = await createWorkspace(db.pool, 'rate-ws', [alice.id]);
    const conn = (await one<{ id: string }>(db.pool, 'insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-RATE\') returning id', [ws2])).id;
    const t = (await one<{ id: string }>(db.pool, 'insert into wa_threads (workspace_id, connection_id, phone_number_id, contact_wa_id, customer_window_expires_at) values ($1, $2, \'PN-RATE\', \'1\', now() + interval \'1 day\') returning id', [ws2, conn])).id;
    const post = (text: string) => strict.inject({ method: 'POST', url: '/api/meta/whatsapp/send-text', headers: { authorization: `Bearer ${alice.token}` }, payload: { workspaceId: ws2, threadId: t, text } });
    assert.equal((await post('one')).statusCode, 202);
    const limited = await post('two');
    assert.equal(limited.statusCode, 429);
    assert.ok(Number(limited.headers['retry-after']) >= 1);
  });

  it('a retryable error requeues with backoff, then succeeds', async () => {
    graph.reply(graph.error(500, 1, 'temporary'));
    const { outboxId, messageId } = (await send(threadA, 'retry me')).json();
    await db.pool.query('update outbox_messages set next_attempt_at = now() + interval \'1 hour\' where status = \'queued\' and id <> $1', [outboxId]);
    const w = worker(graphSender(graph.url, 'v21.0'));
    await until(async () => (await one(db.pool, 'select attempts from outbox_messages where id = $1', [outboxId])).attempts === 1 &&
      (await one(db.pool, 'select status from outbox_messages where id = $1', [outboxId])).status === 'queued');
    const queued = await one(db.pool, 'select last_error, next_attempt_at > now() as later from outbox_messages where id = $1', [outboxId]);
    assert.match(String(queued.last_error), /^1: temporary/);
    assert.equal(queued.later, true);
    await db.pool.query('update outbox_messages set next_attempt_at = now() where id = $1', [outboxId]);
    await until(async () => (await one(db.pool, 'select status from outbox_messages where id = $1', [outboxId])).status === 'sent');
    await w.stop();
    assert.equal((await one(db.pool, 'select status from wa_messages where id = $1', [messageId])).status, 'sent');
  });

  it('a permanent error (131047) fails at once with the Graph code and message on the message', async () => {
    graph.reply(graph.error(400, 131047, 'Re-engagement message'));
    const { outboxId, messageId } = (await send(threadA, 'outside the 24h window')).json();
    const w = worker(graphSender(graph.url, 'v21.0'));
    await until(async () => (await one(db.pool, 'select status from outbox_messages where id = $1', [outboxId])).status === 'failed');
    await w.stop();
    const message = await one(db.pool, 'select status, error_code, error_message from wa_messages where id = $1', [messageId]);
    assert.deepEqual(message, { status: 'failed', error_code: '131047', error_message: 'Re-engagement message' });
    assert.equal((await one(db.pool, 'select attempts from outbox_messages where id = $1', [outboxId])).attempts, 1);
    // Meta says the window is closed: so is the thread's now (issue 17). Reopened for the tests after.
    assert.equal((await one(db.pool, 'select customer_window_expires_at > now() as open from wa_threads where id = $1', [threadA])).open, false);
    await db.pool.query('update wa_threads set customer_window_expires_at = now() + interval \'1 day\' where id = $1', [threadA]);
  });

  it('a worker killed mid-batch loses nothing: its rows are claimable once the lease expires', async () => {
    const { outboxId } = (await send(threadA, 'lease test')).json();
    await db.pool.query('select * from claim_outbox(10, \'killed-worker\')');
    await db.pool.query('update outbox_messages set locked_at = now() - interval \'10 minutes\' where locked_by = \'killed-worker\'');
    const w = worker(dryRunSender, { encryptionKey: null });
    await until(async () => (await one(db.pool, 'select status from outbox_messages where id = $1', [outboxId])).status === 'sent');
    await w.stop();
  });

  it('4 workers draining 5,000 rows send each exactly once', async () => {
    const ws3 = await createWorkspace(db.pool, 'drain-ws');
    const conn = (await one<{ id: string }>(db.pool, 'insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-DRAIN\') returning id', [ws3])).id;
    await db.pool.query(`insert into outbox_messages (workspace_id, connection_id, to_phone, payload, idempotency_key)
      select $1, $2, '62' || i, '{"type":"text","text":{"body":"x"}}', 'drain-' || i from generate_series(1, 5000) i`, [ws3, conn]);
    const sent = new Map<string, number>();
    const counting: Sender = {
      async send(message) {
        sent.set(message.to, (sent.get(message.to) ?? 0) + 1);
        return { ok: true, wamid: `w.${message.to}` };
      },
    };
    const workers = Array.from({ length: 4 }, () => worker(counting, { encryptionKey: null }));
    await until(async () => (await one(db.pool, 'select count(*)::int as n from outbox_messages where workspace_id = $1 and status <> \'sent\'', [ws3])).n === 0, 60_000);
    await Promise.all(workers.map((w) => w.stop()));
    assert.equal(sent.size, 5000);
    assert.ok([...sent.values()].every((n) => n === 1));
  });

  it('stopping a worker releases claimed rows it has not sent', async () => {
    const ws4 = await createWorkspace(db.pool, 'stop-ws');
    const conn = (await one<{ id: string }>(db.pool, 'insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-STOP\') returning id', [ws4])).id;
    await db.pool.query(`insert into outbox_messages (workspace_id, connection_id, to_phone, payload, idempotency_key)
      select $1, $2, '62' || i, '{}', 'stop-' || i from generate_series(1, 20) i`, [ws4, conn]);
    const task = outboxTask({
      pool: db.pool, url: db.url, sender: dryRunSender, encryptionKey: null, logger, maxAttempts: 3, perConnectionPerSecond: 2, pollMs: 50,
    });
    const controller = new AbortController();
    const done = task.run(controller.signal);
    await until(async () => (await one<{ n: number }>(db.pool, 'select count(*)::int as n from outbox_messages where workspace_id = $1 and status = \'sent\'', [ws4])).n >= 1);
    controller.abort();
    await done;
    const counts = await one<{ processing: number; queued: number; sent: number }>(db.pool, `select count(*) filter (where status = 'processing')::int as processing,
      count(*) filter (where status = 'queued')::int as queued, count(*) filter (where status = 'sent')::int as sent
      from outbox_messages where workspace_id = $1`, [ws4]);
    assert.equal(counts.processing, 0);
    assert.equal(counts.sent + counts.queued, 20);
    assert.ok(counts.queued > 0);
  });

  it('connection tokens are encrypted (AES-256-GCM) and never stored in clear', async () => {
    const stored = (await one(db.pool, 'select access_token_enc from wa_phone_numbers where id = $1', [connA])).access_token_enc as string;
    assert.doesNotMatch(stored, /conn-token-A/);
    assert.equal(decryptSecret(key, stored), 'conn-token-A');
    // Flip a ciphertext byte (editing the last base64 character may only touch padding bits).
    const parts = stored.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 0xff;
    const tampered = [...parts.slice(0, 3), data.toString('base64url')].join('.');
    assert.throws(() => decryptSecret(key, tampered));
    assert.throws(() => decryptSecret(randomBytes(32), stored));
  });
});
