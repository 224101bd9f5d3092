// The WhatsApp Web session through the port, driven by a scripted fake that emits Baileys-shaped
// events: QR, creds, status transitions with audit rows, reconnect backoff, logout, runtime flags.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { requestFlag } from '../../src/monitor/flags.js';
import { MonitorSession } from '../../src/monitor/session/runner.js';
import { readSession, saveCreds, writeStatus } from '../../src/monitor/session/session-row.js';
import { localStore } from '../../src/storage/local.js';
import { MEDIA_BUCKET } from '../../src/storage/store.js';
import { testJwtKey } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeConnector, wa } from '../helpers/fake-wa.js';
import { serverLogger } from '../helpers/run-log.js';
import { tempDir } from '../helpers/tmp.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('WhatsApp session (scripted fake)', async () => {
  const db = await freshDatabase();
  const store = localStore({ root: tempDir('wabase-media-'), bucket: MEDIA_BUCKET, signingKey: testJwtKey, publicBaseUrl: 'http://localhost' });
  const fake = fakeConnector();
  const controller = new AbortController();
  const session = new MonitorSession({
    pool: db.pool, store, connector: fake.connector, logger: serverLogger(), mediaMaxBytes: 1_000_000,
    reconnectBaseMs: 50, reconnectMaxMs: 200, flagPollMs: 60_000,
  });
  const G = '120363999000000001@g.us';
  const audits = async (kind: string) => (await db.pool.query('select detail from audit_log where kind = $1 order by at, id', [kind])).rows.map((r) => r.detail);
  // The seed's first discovery request is pending from the migrations; keep it for the connect test.
  const running = session.run(controller.signal);

  it('starts idle without stored creds: no connection until the UI asks for a QR', async () => {
    await sleep(100);
    assert.equal(fake.sockets.length, 0);
    assert.equal((await readSession(db.pool)).status, 'disconnected');
  });

  it('a refresh-qr flag is picked up within a second through NOTIFY, and acted on once', async () => {
    const asked = Date.now();
    await requestFlag(db.pool, 'wa_refresh_qr_requested', 1);
    await until('a connect', async () => fake.sockets.length === 1);
    assert.ok(Date.now() - asked < 1000, `picked up after ${Date.now() - asked} ms`);
    assert.equal((await db.pool.query('select count(*)::int n from runtime_flags where key = \'wa_refresh_qr_requested\'')).rows[0].n, 0, 'cleared');
    await sleep(200);
    assert.equal(fake.sockets.length, 1, 'acted on once');
  });

  it('a QR is published to wa_sessions.detail with its expiry, status connecting, audit qr_generated', async () => {
    fake.last().emit('connection.update', { qr: '2@fakeqr,abc,def' });
    const row = await until('the QR', async () => {
      const s = await readSession(db.pool);
      return s.detail.qr ? s : null;
    });
    assert.equal(row.status, 'connecting');
    assert.equal(row.detail.qr, '2@fakeqr,abc,def');
    assert.ok(Date.parse(String(row.detail.expiresAt)) > Date.now());
    // The audit row is written just after the status: wait for it rather than race it.
    const generated = await until('the qr_generated audit', async () => ((await audits('qr_generated')).length > 0 ? audits('qr_generated') : null));
    assert.equal(generated.length, 1);
  });

  it('creds.update and key writes are persisted in the wa_sessions row, binary intact', async () => {
    const socket = fake.last();
    socket.auth.creds.me = { id: '5511988887777:12@s.whatsapp.net', name: 'Ops phone' };
    socket.auth.creds.signedIdentityKey = { private: Buffer.from([0, 1, 2, 255]) };
    socket.emit('creds.update', { me: socket.auth.creds.me });
    await socket.auth.keys.set({ 'pre-key': { 1: { public: Buffer.from([9, 8, 7]) }, 2: { public: Buffer.from([6]) } } });
    await socket.auth.keys.set({ 'pre-key': { 2: null } });
    const row = await until('creds saved', async () => {
      const s = await readSession(db.pool);
      return s.creds.me ? s : null;
    });
    assert.deepEqual(row.creds.signedIdentityKey, { private: { type: 'Buffer', data: Buffer.from([0, 1, 2, 255]).toString('base64') } });
    assert.deepEqual(Object.keys(row.keys), ['pre-key-1']);
    assert.deepEqual(await socket.auth.keys.get('pre-key', ['1', '2']), { 1: { public: Buffer.from([9, 8, 7]) } });
  });

  it('open: status connected with number and name, audit connect, and the pending discovery runs', async () => {
    const socket = fake.last();
    socket.user = { id: '5511988887777:12@s.whatsapp.net', name: 'Ops phone' };
    socket.groups = { [G]: { id: G, subject: 'Store team' } };
    socket.emit('connection.update', { connection: 'open' });
    const row = await until('connected', async () => {
      const s = await readSession(db.pool);
      return s.status === 'connected' ? s : null;
    });
    assert.deepEqual([row.waNumber, row.waName, row.detail], ['5511988887777', 'Ops phone', {}]);
    assert.equal((await audits('connect')).length, 1);
    await until('discovery', async () => (await audits('discovery')).length === 1);
    assert.equal((await db.pool.query('select monitor from groups where wa_group_id = $1', [G])).rows[0].monitor, false);
  });

  it('messages.upsert archives messages of monitored groups only', async () => {
    const socket = fake.last();
    socket.emit('messages.upsert', { type: 'notify', messages: [wa.text(G, '1@s.whatsapp.net', 'before monitoring', 1_760_000_000)] });
    await sleep(150);
    await db.pool.query('update groups set monitor = true where wa_group_id = $1', [G]);
    const img = wa.image(G, '1@s.whatsapp.net', 1_760_000_010, { caption: 'shelf' });
    fake.media.set(img.key.id!, randomBytes(2000));
    socket.emit('messages.upsert', { type: 'notify', messages: [img] });
    await until('the image', async () => (await db.pool.query('select 1 from messages where wa_msg_id = $1 and media_id is not null', [img.key.id])).rowCount);
    assert.equal((await db.pool.query('select count(*)::int n from messages where chat_id = $1', [G])).rows[0].n, 1);
  });

  it('fetch-groups-now while connected discovers at once; renames are audited', async () => {
    fake.last().groups = { [G]: { id: G, subject: 'Store team (EU)' } };
    await requestFlag(db.pool, 'fetch_groups_requested', 1);
    await until('second discovery', async () => (await audits('discovery')).length === 2);
    assert.deepEqual((await audits('group_rename')).at(-1), { from: 'Store team', to: 'Store team (EU)', wa_group_id: G });
  });

  it('a dropped connection reconnects with capped exponential backoff, audited', async () => {
    const before = fake.sockets.length;
    fake.last().emit('connection.update', { connection: 'close', lastDisconnect: { error: Object.assign(new Error('Connection Lost'), { output: { statusCode: 428 } }) } });
    await until('a reconnect', async () => fake.sockets.length === before + 1);
    assert.equal((await readSession(db.pool)).status, 'connecting');
    assert.deepEqual((await audits('reconnect')).at(-1), { attempt: 1, delay_ms: 50 });
    // Two more failures in a row: 100 ms, then capped at 200 ms.
    for (const expected of [100, 200, 200]) {
      const count = fake.sockets.length;
      fake.last().emit('connection.update', { connection: 'close', lastDisconnect: { error: Object.assign(new Error('lost'), { output: { statusCode: 500 } }) } });
      await until('a reconnect', async () => fake.sockets.length === count + 1);
      assert.equal((await audits('reconnect')).at(-1).delay_ms, expected);
    }
    assert.ok((await audits('disconnect')).length >= 4);
    fake.last().user = { id: '5511988887777@s.whatsapp.net' };
    fake.last().emit('connection.update', { connection: 'open' });
    await until('connected again', async () => (await readSession(db.pool)).status === 'connected');
  });

  it('logged out from the phone: creds are forgotten and there is no reconnect', async () => {
    const count = fake.sockets.length;
    fake.last().emit('connection.update', { connection: 'close', lastDisconnect: { error: Object.assign(new Error('logged out'), { output: { statusCode: 401 } }) } });
    await until('logged out', async () => (await audits('disconnect')).some((d) => d.reason === 'logged_out'));
    const row = await readSession(db.pool);
    assert.deepEqual([row.status, row.creds, row.keys, row.waNumber], ['disconnected', {}, {}, null]);
    await sleep(300);
    assert.equal(fake.sockets.length, count);
  });

  it('the disconnect flag logs out and clears the session', async () => {
    const count = fake.sockets.length;
    await requestFlag(db.pool, 'wa_refresh_qr_requested', 1).catch(() => sleep(1100).then(() => requestFlag(db.pool, 'wa_refresh_qr_requested', 1)));
    await until('a new socket', async () => fake.sockets.length === count + 1);
    const socket = fake.last();
    await requestFlag(db.pool, 'wa_disconnect_requested', 1);
    await until('the logout', async () => socket.loggedOut);
    assert.equal(socket.ended, true);
    await until('the disconnect audit', async () => (await audits('disconnect')).some((d) => d.reason === 'requested'));
    assert.equal((await readSession(db.pool)).status, 'disconnected');
  });

  it('stops cleanly', async () => {
    controller.abort();
    await running;
  });
});

describe('wa_sessions stays one row', async () => {
  const db = await freshDatabase();

  it('at most one wa_sessions row under concurrent session writes, even from none', async () => {
    await db.pool.query('delete from wa_sessions');
    await Promise.all(Array.from({ length: 24 }, (_, i) =>
      i % 2 ? writeStatus(db.pool, 'connecting', { detail: { n: i } }) : saveCreds(db.pool, JSON.stringify({ n: i }))));
    assert.equal((await db.pool.query('select count(*)::int n from wa_sessions')).rows[0].n, 1);
    await assert.rejects(db.pool.query('insert into wa_sessions (status) values (\'disconnected\')'), { code: '23505' });
  });
});
