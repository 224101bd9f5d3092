// WhatsApp @lid identities (issue 14), through the session with the scripted Baileys-shaped fake:
// the lid ↔ phone mapping is fed by lid-mapping.update events, message keys' alternates and group
// metadata; each message keeps `sender` as sent and adds the resolved phone jid; block_senders
// matches a sender by lid or by number whichever form WhatsApp used; the archive shows the number
// and name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestFlag } from '../../src/monitor/flags.js';
import { MonitorSession } from '../../src/monitor/session/runner.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeConnector, wa } from '../helpers/fake-wa.js';
import { serverLogger } from '../helpers/run-log.js';

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

describe('@lid identities (scripted Baileys fake)', async () => {
  const db = await freshDatabase();
  const { app, ctx } = await testApp(db);
  const owner = await testUser(db, 'owner@lid.example');
  await db.pool.query(`insert into owner_members (user_id, email, role) values ($1, $2, 'owner')`, [owner.id, owner.email]);
  const fake = fakeConnector();
  const controller = new AbortController();
  const session = new MonitorSession({
    pool: db.pool, store: ctx.mediaStore, connector: fake.connector, logger: serverLogger(), mediaMaxBytes: 1_000_000, flagPollMs: 60_000,
  });
  const running = session.run(controller.signal);
  const G = '120363555000000001@g.us';
  const ANA = { lid: '204318000000001@lid', pn: '5511911110001@s.whatsapp.net' };
  const BEN = { lid: '204318000000002@lid', pn: '5511911110002@s.whatsapp.net' };
  const CAI = { lid: '204318000000003@lid', pn: '5511911110003@s.whatsapp.net' };
  const DIA = { lid: '204318000000004@lid', pn: '5511911110004@s.whatsapp.net' };
  const t = 1_760_100_000;
  const map = async () => Object.fromEntries((await db.pool.query('select lid, pn || \' \' || source as v from wa_lid_map')).rows.map((r) => [r.lid, r.v]));
  const stored = async (id: string) => (await db.pool.query('select sender, sender_pn from messages where wa_msg_id = $1', [id])).rows[0];
  const api = async (url: string) => (await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${owner.token}` } })).json();

  it('connects; discovery stores group metadata participants as lid ↔ phone pairs', async () => {
    await requestFlag(db.pool, 'wa_refresh_qr_requested', 1);
    await until('a socket', async () => fake.sockets.length === 1);
    const socket = fake.last();
    socket.user = { id: '5511900000000:1@s.whatsapp.net', name: 'Monitor' };
    socket.groups = { [G]: { id: G, subject: 'Feira', participants: [{ id: ANA.lid, phoneNumber: ANA.pn }, { id: '5511911119999@s.whatsapp.net' }] } };
    socket.emit('connection.update', { connection: 'open' });
    await until('the mapping from metadata', async () => (await map())[ANA.lid]);
    assert.deepEqual(await map(), { [ANA.lid]: `${ANA.pn} group_metadata` });
    await db.pool.query('update groups set monitor = true where wa_group_id = $1', [G]);
  });

  it('a lid-mapping.update event is stored; a message key\'s alternate too, on the message itself', async () => {
    const socket = fake.last();
    socket.emit('lid-mapping.update', { lid: '204318000000002:7@lid', pn: '5511911110002:3@s.whatsapp.net' });
    await until('the event\'s pair', async () => (await map())[BEN.lid]);
    assert.equal((await map())[BEN.lid], `${BEN.pn} lid_mapping`);
    const fromCai = wa.withAlt(wa.text(G, CAI.lid, 'oi from a lid', t), CAI.pn);
    const fromAna = wa.text(G, ANA.lid, 'lid only, mapped by metadata', t + 1);
    const fromBen = wa.text(G, BEN.lid, 'lid only, mapped by the event', t + 2);
    const fromOld = wa.withAlt(wa.text(G, DIA.pn, 'phone jid with its lid alternate (older rc field)', t + 3), DIA.lid, 'senderPn');
    socket.emit('messages.upsert', { type: 'notify', messages: [fromCai, fromAna, fromBen, fromOld] });
    await until('four messages', async () => (await db.pool.query('select count(*)::int n from messages')).rows[0].n === 4);
    assert.deepEqual(await stored(fromCai.key.id!), { sender: CAI.lid, sender_pn: CAI.pn });
    assert.deepEqual(await stored(fromAna.key.id!), { sender: ANA.lid, sender_pn: ANA.pn });
    assert.deepEqual(await stored(fromBen.key.id!), { sender: BEN.lid, sender_pn: BEN.pn });
    assert.deepEqual(await stored(fromOld.key.id!), { sender: DIA.pn, sender_pn: DIA.pn });
    assert.equal((await map())[CAI.lid], `${CAI.pn} message_key`);
    assert.equal((await map())[DIA.lid], `${DIA.pn} message_key`);
  });

  it('the archive shows the number and the name, not an opaque lid; a lid mapped later is resolved on read', async () => {
    const unknown = '204318000000099@lid';
    const late = wa.text(G, unknown, 'mapped only later', t + 10);
    fake.last().emit('messages.upsert', { type: 'notify', messages: [late] });
    await until('stored', async () => stored(late.key.id!));
    assert.equal((await stored(late.key.id!)).sender_pn, null);
    fake.last().emit('lid-mapping.update', { lid: unknown, pn: '5511911110099@s.whatsapp.net' });
    await until('the late pair', async () => (await map())[unknown]);
    const items = (await api('/api/messages?limit=10')).items;
    const byText = Object.fromEntries(items.map((m: { text: string; senderPn: string; senderName: string; sender: string }) => [m.text, m]));
    assert.equal(byText['mapped only later'].senderPn, '5511911110099@s.whatsapp.net');
    assert.equal(byText['mapped only later'].sender, unknown, 'sender stays what WhatsApp sent');
    assert.equal(byText['oi from a lid'].senderPn, CAI.pn);
    assert.equal(byText['oi from a lid'].senderName, 'Someone');
  });

  it('block_senders matches by number and by lid, whichever form the message carries', async () => {
    const block = (value: string) => app.inject({ method: 'POST', url: '/api/monitor/blocklists/senders', headers: { authorization: `Bearer ${owner.token}` }, payload: { value } });
    assert.equal((await block('+55 11 91111-0001')).statusCode, 201); // Ana by number; she sends as a lid
    assert.equal((await block(DIA.lid)).statusCode, 201); // Dia by lid; she sends as a phone jid
    const before = (await db.pool.query('select count(*)::int n from messages')).rows[0].n;
    const socket = fake.last();
    const msgs = [
      wa.text(G, ANA.lid, 'ana as lid: blocked by number', t + 20),
      wa.text(G, ANA.pn, 'ana as phone: blocked by number', t + 21),
      wa.text(G, DIA.pn, 'dia as phone: blocked by lid', t + 22),
      wa.text(G, '204318000000004:2@lid', 'dia as lid with device: blocked by lid', t + 23),
      wa.text(G, BEN.lid, 'ben: not blocked', t + 24),
    ];
    socket.emit('messages.upsert', { type: 'notify', messages: msgs });
    await until('ben\'s message', async () => stored(msgs[4]!.key.id!));
    await sleep(50);
    assert.equal((await db.pool.query('select count(*)::int n from messages')).rows[0].n, before + 1);
  });

  it('stops cleanly', async () => {
    controller.abort();
    await running;
  });
});
