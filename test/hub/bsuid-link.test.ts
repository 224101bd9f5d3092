// BSUIDs (business-scoped user ids): a status naming both the number and the BSUID links the
// number's thread, and two POSTs for one new BSUID contact — one with the number, one without —
// reach one thread whether they run at the same time, one after the other or in one batch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toDatabaseJson } from '../../src/db/json.js';
import { ingestPostJson, sqlEvents } from '../../src/hub/webhook/ingest.js';
import { freshDatabase } from '../helpers/db.js';
import { webhookBody } from '../helpers/meta.js';
import { createWorkspace, one } from '../helpers/sql.js';

const PNID = 'PN-BSUID';
let seq = 0;
const ts = () => String(Math.floor(Date.now() / 1000) + seq++);
const change = (value: Record<string, unknown>) => ({
  field: 'messages',
  value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: PNID }, ...value },
});
/** A text message from a username user: with the number when `number` is given, else by BSUID only. */
const message = (bsuid: string, number: string | null, wamid: string) => webhookBody(change({
  contacts: [{ profile: { name: 'Rina' }, user_id: bsuid, ...(number ? { wa_id: number } : {}) }],
  messages: [{ ...(number ? { from: number } : {}), from_user_id: bsuid, id: wamid, timestamp: ts(), type: 'text', text: { body: wamid } }],
}));
const status = (wamid: string, recipient: Record<string, string>, state = 'delivered') =>
  webhookBody(change({ statuses: [{ id: wamid, status: state, timestamp: ts(), ...recipient }] }));
const numberOnly = (number: string, wamid: string) => webhookBody(change({
  contacts: [{ profile: { name: 'Budi' }, wa_id: number }],
  messages: [{ from: number, id: wamid, timestamp: ts(), type: 'text', text: { body: wamid } }],
}));
const json = (body: unknown) => toDatabaseJson(sqlEvents(body));

describe('BSUID threads: linking by status, concurrent first contact', async () => {
  const db = await freshDatabase();
  const ws = await createWorkspace(db.pool, 'bsuid-ws');
  await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, $2)', [ws, PNID]);
  const threadsOf = async (bsuid: string, number: string) => (await db.pool.query<{ id: string; contact_wa_id: string; contact_user_id: string | null }>(
    'select id, contact_wa_id, contact_user_id from wa_threads where workspace_id = $1 and (contact_user_id = $2 or contact_wa_id in ($2, $3)) order by created_at',
    [ws, bsuid, number])).rows;
  const inboundIn = async (thread: string) =>
    (await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_messages where thread_id = $1 and direction = \'in\'', [thread])).n;
  /** Until another backend of this database waits on a lock (the second POST is inside its statement). */
  const someoneWaits = async () => {
    for (let i = 0; i < 200; i++) {
      const { n } = await one<{ n: number }>(db.pool,
        'select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = \'Lock\'');
      if (n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the second POST never waited on the first');
  };

  /**
   * The first POST runs in a transaction held open until the second one (on another connection)
   * is inside its statement, so both start before either commits: the race, every time.
   */
  async function race(first: string, second: string) {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query('select public.ingest_meta_webhook_events_deferred($1::jsonb)', [first]);
      const other = ingestPostJson(db.pool, second);
      other.catch(() => {});
      await someoneWaits();
      await client.query('commit');
      return await other;
    } finally {
      client.release();
    }
  }

  for (const [name, firstHasNumber] of [['the number first', true], ['the BSUID alone first', false]] as const) {
    it(`two POSTs at once for one new BSUID contact (${name}) make one thread, no unique violation`, async () => {
      const bsuid = `ID.77${firstHasNumber ? 1 : 2}0000000001`;
      const number = `62877${firstHasNumber ? 1 : 2}`;
      const outcome = await race(json(message(bsuid, firstHasNumber ? number : null, `wamid.race.${bsuid}.a`)),
        json(message(bsuid, firstHasNumber ? null : number, `wamid.race.${bsuid}.b`)));
      assert.equal(outcome.stored, 1);
      const threads = await threadsOf(bsuid, number);
      assert.equal(threads.length, 1, JSON.stringify(threads));
      assert.equal(threads[0]!.contact_user_id, bsuid);
      assert.equal(await inboundIn(threads[0]!.id), 2);
    });
  }

  it('a thread known by number (no BSUID yet) and a message with both plus one with the BSUID alone, at once: one thread', async () => {
    const bsuid = 'ID.7730000000001';
    const number = '628773';
    await ingestPostJson(db.pool, json(numberOnly(number, 'wamid.race3.0')));
    await race(json(message(bsuid, number, 'wamid.race3.a')), json(message(bsuid, null, 'wamid.race3.b')));
    const threads = await threadsOf(bsuid, number);
    assert.deepEqual(threads.map((t) => [t.contact_wa_id, t.contact_user_id]), [[number, bsuid]]);
    assert.equal(await inboundIn(threads[0]!.id), 3);
  });

  it('many first contacts at once, each as two POSTs (with and without the number), through the real function', async () => {
    const pairs = Array.from({ length: 25 }, (_, i) => ({ bsuid: `ID.90${String(i).padStart(10, '0')}`, number: `6290${String(i).padStart(3, '0')}` }));
    const results = await Promise.allSettled(pairs.flatMap(({ bsuid, number }, i) => [
      ingestPostJson(db.pool, json(message(bsuid, i % 2 ? number : null, `wamid.many.${i}.a`))),
      ingestPostJson(db.pool, json(message(bsuid, i % 2 ? null : number, `wamid.many.${i}.b`))),
    ]));
    assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)), []);
    for (const { bsuid, number } of pairs) assert.equal((await threadsOf(bsuid, number)).length, 1, bsuid);
  });

  it('two POSTs for one new BSUID contact in one batch make one thread', async () => {
    const bsuid = 'ID.7790000000001';
    const number = '628779';
    const { rows } = await db.pool.query<{ results: { error?: unknown }[] }>('select public.ingest_meta_webhook_posts_deferred($1::jsonb) as results',
      [`[${json(message(bsuid, null, 'wamid.batch.a'))},${json(message(bsuid, number, 'wamid.batch.b'))}]`]);
    assert.deepEqual(rows[0]!.results.map((r) => r.error ?? null), [null, null]);
    const threads = await threadsOf(bsuid, number);
    assert.equal(threads.length, 1);
    assert.equal(await inboundIn(threads[0]!.id), 2);
  });

  it('a status with recipient_id and recipient_user_id links the number\'s thread; the BSUID alone then reaches it', async () => {
    const bsuid = 'ID.7800000000001';
    const number = '628780';
    await ingestPostJson(db.pool, json(numberOnly(number, 'wamid.link.0')));
    const [thread] = await threadsOf(bsuid, number);
    assert.equal(thread!.contact_user_id, null);
    await ingestPostJson(db.pool, json(status('wamid.out.link', { recipient_id: number, recipient_user_id: bsuid })));
    assert.equal((await one(db.pool, 'select contact_user_id from wa_threads where id = $1', [thread!.id])).contact_user_id, bsuid);
    await ingestPostJson(db.pool, json(message(bsuid, null, 'wamid.link.1')));
    assert.deepEqual((await threadsOf(bsuid, number)).map((t) => t.id), [thread!.id]);
    assert.equal(await inboundIn(thread!.id), 2);
  });

  it('a status never replaces a thread\'s BSUID, never takes one another thread holds, and a status alone creates no thread', async () => {
    // The number's thread already has a BSUID (the user changed number: a new BSUID).
    await ingestPostJson(db.pool, json(message('ID.7810000000001', '628781', 'wamid.keep.0')));
    await ingestPostJson(db.pool, json(status('wamid.out.keep', { recipient_id: '628781', recipient_user_id: 'ID.7810000000002' })));
    assert.equal((await one(db.pool, 'select contact_user_id from wa_threads where contact_wa_id = \'628781\'')).contact_user_id, 'ID.7810000000001');
    // The BSUID has its own thread (first known without the number); the number's thread stays unlinked.
    await ingestPostJson(db.pool, json(numberOnly('628782', 'wamid.keep.1')));
    await ingestPostJson(db.pool, json(message('ID.7820000000001', null, 'wamid.keep.2')));
    const outcome = await ingestPostJson(db.pool, json(status('wamid.out.keep2', { recipient_id: '628782', recipient_user_id: 'ID.7820000000001' })));
    assert.equal(outcome.stored, 1);
    assert.equal((await one(db.pool, 'select contact_user_id from wa_threads where contact_wa_id = \'628782\'')).contact_user_id, null);
    // No thread for the number yet: nothing is created.
    await ingestPostJson(db.pool, json(status('wamid.out.none', { recipient_id: '628783', recipient_user_id: 'ID.7830000000001' })));
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_threads where contact_wa_id = \'628783\' or contact_user_id = \'ID.7830000000001\'')).n, 0);
  });

  it('one POST whose status links a number to a BSUID that another status in it gives another number: one link, no error', async () => {
    await ingestPostJson(db.pool, json(numberOnly('628784', 'wamid.two.0')));
    await ingestPostJson(db.pool, json(numberOnly('628785', 'wamid.two.1')));
    const body = webhookBody(change({ statuses: [
      { id: 'wamid.out.two.a', status: 'sent', timestamp: ts(), recipient_id: '628784', recipient_user_id: 'ID.7840000000001' },
      { id: 'wamid.out.two.b', status: 'sent', timestamp: ts(), recipient_id: '628785', recipient_user_id: 'ID.7840000000001' },
    ] }));
    await ingestPostJson(db.pool, json(body));
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_threads where contact_user_id = \'ID.7840000000001\'')).n, 1);
  });

  it('a status and a BSUID-only message for the same new link, at once: one thread holds the BSUID', async () => {
    const bsuid = 'ID.7860000000001';
    const number = '628786';
    await ingestPostJson(db.pool, json(numberOnly(number, 'wamid.sm.0')));
    await race(json(status('wamid.out.sm', { recipient_id: number, recipient_user_id: bsuid })), json(message(bsuid, null, 'wamid.sm.1')));
    const threads = await threadsOf(bsuid, number);
    assert.deepEqual(threads.map((t) => [t.contact_wa_id, t.contact_user_id]), [[number, bsuid]]);
    assert.equal(await inboundIn(threads[0]!.id), 2);
  });
});
