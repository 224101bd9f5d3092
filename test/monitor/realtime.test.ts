// Issue 14, live updates: the monitor's changes reach GET /api/monitor/events as kinds only, one per
// statement; viewers get the stream without any QR event; strangers get 403.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { addBlocked } from '../../src/monitor/blocklists/blocklists.js';
import { ingestMessages } from '../../src/monitor/ingest/ingest.js';
import { patchKeys, saveCreds, writeStatus } from '../../src/monitor/session/session-row.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { wa } from '../helpers/fake-wa.js';
import { openSseClient, type SseClient, type SseFrame } from '../helpers/sse.js';

describe('group monitor realtime events (SSE)', async () => {
  const db = await freshDatabase();
  const { app, ctx } = await testApp(db, { OPS_ADMIN_EMAILS: 'admin@live.example', MONITOR_FLAG_INTERVAL_SECONDS: '1' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const owner = await testUser(db, 'owner@live.example');
  const viewer = await testUser(db, 'viewer@live.example');
  const stranger = await testUser(db, 'stranger@live.example');
  await db.pool.query(`insert into owner_members (user_id, email, role) values ($1, $2, 'owner'), ($3, $4, 'viewer')`, [owner.id, owner.email, viewer.id, viewer.email]);
  const G = '120363555000000001@g.us';
  await db.pool.query('insert into groups (wa_group_id, name, monitor) values ($1, \'Live group\', true)', [G]);
  const listening = (frame: SseFrame) => frame.event === 'ready' && (frame.data as { mode: string }).mode === 'listen';
  const open = (token: string) => openSseClient(`${base}/api/monitor/events`, token);
  const ownerStream = await open(owner.token);
  const viewerStream = await open(viewer.token);
  after(() => {
    ownerStream.close();
    viewerStream.close();
  });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Frames of one kind after index `from`. */
  const since = (stream: SseClient, from: number, kind: string) => stream.frames.slice(from).filter((f) => f.event === kind);
  /** A blocklist change, the last thing notified: once it arrives, everything notified before it has too. */
  let barrierN = 0;
  const barrier = async () => {
    const from = ownerStream.frames.length;
    await addBlocked(db.pool, { userId: owner.id, email: owner.email }, 'keywords', `barrier${barrierN++}`);
    await ownerStream.next((f) => ownerStream.frames.indexOf(f) >= from && f.event === 'blocklist.updated');
  };

  it('owners and viewers get a stream, `ready` once the server listens; strangers 403, no token 401', async () => {
    assert.equal(ownerStream.status, 200);
    assert.match(ownerStream.headers.get('content-type') ?? '', /^text\/event-stream/);
    await ownerStream.next(listening);
    assert.equal(viewerStream.status, 200);
    await viewerStream.next(listening);
    const foreign = await fetch(`${base}/api/monitor/events`, { headers: { authorization: `Bearer ${stranger.token}` } });
    assert.equal(foreign.status, 403);
    assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, 'not_monitor_owner');
    assert.equal((await fetch(`${base}/api/monitor/events`)).status, 401);
  });

  it('a new QR is qr.updated for the owner only, and the payload never carries the QR', async () => {
    const from = { owner: ownerStream.frames.length, viewer: viewerStream.frames.length };
    await writeStatus(db.pool, 'connecting', { detail: { qr: '2@secret-qr-text', expiresAt: new Date(Date.now() + 20_000).toISOString() } });
    const qr = await ownerStream.next((f) => ownerStream.frames.indexOf(f) >= from.owner && f.event === 'qr.updated');
    assert.deepEqual(Object.keys(qr.data as object).sort(), ['at', 'kind']);
    await ownerStream.next((f) => ownerStream.frames.indexOf(f) >= from.owner && f.event === 'session.updated');
    await viewerStream.next((f) => viewerStream.frames.indexOf(f) >= from.viewer && f.event === 'session.updated');
    await barrier();
    await viewerStream.next((f) => f.event === 'blocklist.updated' && viewerStream.frames.indexOf(f) >= from.viewer);
    assert.equal(since(viewerStream, 0, 'qr.updated').length, 0, 'no QR event for a viewer');
    assert.ok(!JSON.stringify([...ownerStream.frames, ...viewerStream.frames]).includes('secret-qr-text'), 'no stream carries the QR');
  });

  it('saving creds or signal keys is quiet; a status change is session.updated', async () => {
    const from = ownerStream.frames.length;
    await saveCreds(db.pool, JSON.stringify({ me: 'x' }));
    await patchKeys(db.pool, JSON.stringify({ 'pre-key-1': 'k' }), []);
    await barrier();
    assert.deepEqual(ownerStream.frames.slice(from).map((f) => f.event), ['blocklist.updated']);
    await writeStatus(db.pool, 'connected', { detail: {}, waNumber: '5511900000000', waName: 'Ops' });
    await ownerStream.next((f) => ownerStream.frames.indexOf(f) >= from && f.event === 'session.updated');
  });

  it('an ingest of 100 messages is one message.archived (and one activity.created), not 100', async () => {
    const from = ownerStream.frames.length;
    const batch = Array.from({ length: 100 }, (_, i) => wa.text(G, '5511900000001@s.whatsapp.net', `live ${i}`, 1_760_000_000 + i));
    const download = async () => (async function* none() {})();
    const result = await ingestMessages({ pool: db.pool, store: ctx.mediaStore, mediaMaxBytes: 1000, download }, batch);
    assert.equal(result.stored, 100);
    await barrier();
    assert.equal(since(ownerStream, from, 'message.archived').length, 1);
    assert.equal(since(ownerStream, from, 'activity.created').length, 1);
    assert.equal(since(ownerStream, from, 'groups.updated').length, 1, 'the group\'s last message time moved');
    // A replay of the same batch changes nothing, and says nothing about messages.
    const again = ownerStream.frames.length;
    await ingestMessages({ pool: db.pool, store: ctx.mediaStore, mediaMaxBytes: 1000, download }, batch);
    await barrier();
    assert.equal(since(ownerStream, again, 'message.archived').length, 0);
    assert.equal(since(ownerStream, again, 'groups.updated').length, 0);
  });

  it('discovery, the Monitor switch, worker requests and blocklists each notify their kind', async () => {
    const from = ownerStream.frames.length;
    await db.pool.query('insert into groups (wa_group_id, name) values ($1, \'Found\'), ($2, \'Found too\')', ['120363555000000002@g.us', '120363555000000003@g.us']);
    const toggle = await app.inject({
      method: 'POST', url: `/api/monitor/groups/${(await db.pool.query('select id from groups where name = \'Found\'')).rows[0].id}/toggle`,
      headers: { authorization: `Bearer ${owner.token}` }, payload: { monitor: true },
    });
    assert.equal(toggle.statusCode, 200, toggle.body);
    const flag = await app.inject({ method: 'POST', url: '/api/monitor/fetch-groups-now', headers: { authorization: `Bearer ${owner.token}` } });
    assert.equal(flag.statusCode, 202, flag.body);
    await barrier();
    const kinds = ownerStream.frames.slice(from).map((f) => f.event);
    assert.equal(kinds.filter((k) => k === 'groups.discovered').length, 1, 'one insert of two groups, one event');
    assert.ok(kinds.includes('groups.updated'));
    assert.ok(kinds.includes('session.updated'), 'a pending worker request shows on the session page');
    const list = ownerStream.frames.slice(from).find((f) => f.event === 'blocklist.updated')!;
    assert.equal((list.data as { list: string }).list, 'keywords');
    // An update that changes nothing the pages show (a no-op) stays quiet.
    const quiet = ownerStream.frames.length;
    await db.pool.query('update groups set name = name');
    await barrier();
    assert.equal(since(ownerStream, quiet, 'groups.updated').length, 0);
  });

  it('closing the app ends the open streams', async () => {
    await sleep(10);
    await app.close();
    await Promise.all([ownerStream.ended, viewerStream.ended]);
  });
});
