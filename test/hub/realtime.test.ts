// Issue 13, realtime: LISTEN/NOTIFY -> Server-Sent Events, filtered per workspace.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { mintAccessToken } from '../../src/auth/jwt.js';
import { testApp, testJwtKey, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { APP_SECRET, signedPost, statusChange, textChange, webhookBody } from '../helpers/meta.js';
import { openSseClient, type SseFrame } from '../helpers/sse.js';
import { createWorkspace, one } from '../helpers/sql.js';

describe('inbox realtime events (SSE)', async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db, { META_APP_SECRET: APP_SECRET, SSE_HEARTBEAT_SECONDS: '0.2' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const alice = await testUser(db, 'alice@realtime.example');
  const bob = await testUser(db, 'bob@realtime.example');
  const wsA = await createWorkspace(db.pool, 'realtime-a', [alice.id]);
  const wsB = await createWorkspace(db.pool, 'realtime-b', [bob.id]);
  await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-RA\'), ($2, \'PN-RB\')', [wsA, wsB]);
  const events = (workspaceId: string, token: string) => openSseClient(`${base}/api/meta/whatsapp/events?workspaceId=${workspaceId}`, token);
  const listening = (frame: SseFrame) => frame.event === 'ready' && (frame.data as { mode: string }).mode === 'listen';
  const streamA = await events(wsA, alice.token);
  after(() => streamA.close());

  it('a member gets an event stream with security headers, and `ready` once the server listens', async () => {
    assert.equal(streamA.status, 200);
    assert.match(streamA.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(streamA.headers.get('cache-control'), 'no-cache, no-store, no-transform');
    assert.equal(streamA.headers.get('x-content-type-options'), 'nosniff', 'helmet\'s headers survive the hijack');
    assert.ok(streamA.headers.get('x-request-id'));
    await streamA.next(listening);
  });

  it('no token is 401, another workspace is 403, a bad workspaceId is 400', async () => {
    assert.equal((await fetch(`${base}/api/meta/whatsapp/events?workspaceId=${wsA}`)).status, 401);
    const foreign = await fetch(`${base}/api/meta/whatsapp/events?workspaceId=${wsB}`, { headers: { authorization: `Bearer ${alice.token}` } });
    assert.equal(foreign.status, 403);
    assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, 'not_a_member');
    const bad = await fetch(`${base}/api/meta/whatsapp/events?workspaceId=nope`, { headers: { authorization: `Bearer ${alice.token}` } });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /workspaceId/);
  });

  it('a stored webhook message reaches the stream as message.created and thread.updated, after COMMIT', async () => {
    const res = await app.inject(signedPost(webhookBody(textChange('PN-RA', '628111', 'hello live', 'wamid.live1'))));
    assert.equal(res.statusCode, 200, res.body);
    const thread = await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628111\'');
    const message = await one<{ id: string }>(db.pool, 'select id from wa_messages where wa_message_id = \'wamid.live1\'');
    const created = await streamA.next((f) => f.event === 'message.created');
    assert.deepEqual({ ...(created.data as object), at: undefined }, { kind: 'message.created', workspaceId: wsA, threadId: thread.id, messageId: message.id, at: undefined });
    await streamA.next((f) => f.event === 'thread.updated' && (f.data as { threadId: string }).threadId === thread.id);
  });

  it('a status webhook is message.status; an unchanged status sends nothing', async () => {
    await db.pool.query(`insert into wa_messages (workspace_id, thread_id, wa_message_id, direction, status)
      select workspace_id, id, 'wamid.out1', 'out', 'sent' from wa_threads where contact_wa_id = '628111'`);
    const before = streamA.frames.length;
    await app.inject(signedPost(webhookBody(statusChange('PN-RA', 'wamid.out1', 'delivered'))));
    const status = await streamA.next((f, i = streamA.frames.indexOf(f)) => i >= before && f.event === 'message.status');
    assert.equal((status.data as { workspaceId: string }).workspaceId, wsA);
    const count = streamA.frames.filter((f) => f.event === 'message.status').length;
    await db.pool.query('update wa_messages set text = text where wa_message_id = \'wamid.out1\'');
    await app.inject(signedPost(webhookBody(textChange('PN-RA', '628111', 'barrier', 'wamid.barrier1'))));
    await streamA.next((f) => f.event === 'message.created' && streamA.frames.indexOf(f) > before + 1);
    assert.equal(streamA.frames.filter((f) => f.event === 'message.status').length, count);
  });

  it('a member changing a thread is thread.updated for everyone in the workspace', async () => {
    const thread = await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628111\'');
    const from = streamA.frames.length;
    const res = await app.inject({ method: 'PATCH', url: `/api/meta/whatsapp/threads/${thread.id}`, headers: { authorization: `Bearer ${alice.token}` }, payload: { status: 'pending' } });
    assert.equal(res.statusCode, 200);
    await streamA.next((f) => streamA.frames.indexOf(f) >= from && f.event === 'thread.updated');
  });

  it('never an event of another workspace, not even its ids', async () => {
    const streamB = await events(wsB, bob.token);
    after(() => streamB.close());
    await streamB.next(listening);
    await app.inject(signedPost(webhookBody(textChange('PN-RB', '628222', 'for B only', 'wamid.b1'))));
    const threadB = await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628222\'');
    await streamB.next((f) => f.event === 'message.created');
    // A barrier in A: once A sees it, anything for B would have arrived before it.
    await app.inject(signedPost(webhookBody(textChange('PN-RA', '628111', 'barrier 2', 'wamid.barrier2'))));
    const barrier = await one<{ id: string }>(db.pool, 'select id from wa_messages where wa_message_id = \'wamid.barrier2\'');
    await streamA.next((f) => (f.data as { messageId?: string }).messageId === barrier.id);
    const seenByA = JSON.stringify(streamA.frames);
    assert.ok(!seenByA.includes(wsB) && !seenByA.includes(threadB.id), 'A saw something of B');
    assert.ok(streamB.frames.every((f) => f.event === 'ready' || (f.data as { workspaceId: string }).workspaceId === wsB));
  });

  it('heartbeats keep an idle stream alive', async () => {
    const start = streamA.comments;
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.ok(streamA.comments - start >= 2, `${streamA.comments - start} pings in 700 ms at 200 ms`);
  });

  it('the stream ends with `expired` when the access token expires', async () => {
    const token = await mintAccessToken(testJwtKey, { sub: alice.id, email: alice.email, expiresIn: 2 });
    const stream = await events(wsA, token);
    assert.equal(stream.status, 200);
    await stream.next((f) => f.event === 'expired', 5000);
    await stream.ended;
  });

  it('closing the app ends open streams instead of waiting for browsers to leave', async () => {
    const other = await testApp(db, { META_APP_SECRET: APP_SECRET });
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (other.app.server.address() as AddressInfo).port;
    const stream = await openSseClient(`http://127.0.0.1:${port}/api/meta/whatsapp/events?workspaceId=${wsA}`, alice.token);
    await stream.next(listening);
    const started = performance.now();
    await other.app.close();
    await stream.ended;
    assert.ok(performance.now() - started < 2000, 'close waited for the stream');
  });
});
