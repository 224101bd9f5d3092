// Webhook POSTs that arrive together share one database call, and each stays atomic on its own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { publishHubEvents } from '../../src/hub/realtime/publish.js';
import { webhookBatcher } from '../../src/hub/webhook/batcher.js';
import { ingestPostJson, sqlEvents } from '../../src/hub/webhook/ingest.js';
import { toDatabaseJson } from '../../src/db/json.js';
import { freshDatabase } from '../helpers/db.js';
import { imageChange, textChange, webhookBody } from '../helpers/meta.js';
import { createWorkspace, one } from '../helpers/sql.js';

describe('webhook batching', async () => {
  const db = await freshDatabase();
  const ws = await createWorkspace(db.pool, 'batch-ws');
  await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-BATCH\')', [ws]);
  const post = (wamid: string, from = '628100') => sqlEvents(webhookBody(textChange('PN-BATCH', from, `text of ${wamid}`, wamid)));
  const messages = async (prefix: string) =>
    (await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_messages where wa_message_id like $1', [`${prefix}%`])).n;

  /** The pool's ingest calls (not the NOTIFYs after them), counted on the real pool (not a stand-in). */
  function countingPool() {
    let calls = 0;
    let running = 0;
    let mostAtOnce = 0;
    const query = db.pool.query.bind(db.pool);
    const pool = Object.create(db.pool) as typeof db.pool;
    pool.query = ((...args: Parameters<typeof query>) => {
      if (!String(args[0]).includes('ingest_meta_webhook')) return query(...args);
      calls++;
      mostAtOnce = Math.max(mostAtOnce, ++running);
      return (query(...args) as unknown as Promise<unknown>).finally(() => running--);
    }) as typeof query;
    return { pool, calls: () => calls, mostAtOnce: () => mostAtOnce };
  }

  it('POSTs that arrive while a call is in flight go together in the next call', async () => {
    const counting = countingPool();
    const batcher = webhookBatcher(counting.pool, { maxInFlight: 1 });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.ingest(post(`wamid.B1.${i}`, `6281${i}`))));
    assert.deepEqual(outcomes.map((o) => o.stored), Array(20).fill(1));
    assert.equal(counting.calls(), 2, 'the first POST alone, the 19 that waited in one call');
    assert.equal(await messages('wamid.B1.'), 20);
  });

  it('a POST that fails in a batch is rolled back alone; the others in the batch are kept', async () => {
    const batcher = webhookBatcher(db.pool, { maxInFlight: 1 });
    // An event the database refuses (a timestamp that is not one), between two good POSTs.
    const broken = post('wamid.B2.bad').map((event) => ({ ...event, at: 'not a time' }));
    const first = batcher.ingest(post('wamid.B2.first'));
    const [good, bad, alsoGood] = await Promise.allSettled([
      batcher.ingest(post('wamid.B2.a')), batcher.ingest(broken), batcher.ingest(post('wamid.B2.b')),
    ]);
    await first;
    assert.equal(good.status, 'fulfilled');
    assert.equal(alsoGood.status, 'fulfilled');
    assert.equal(bad.status, 'rejected');
    assert.match(String((bad as PromiseRejectedResult).reason), /timestamp|time zone|invalid input syntax/i);
    assert.equal(await messages('wamid.B2.'), 3, 'first, a and b stored; the broken POST left nothing');
    assert.equal((await one(db.pool, 'select count(*)::int as n from meta_webhook_events where event_key = \'msg:wamid.B2.bad\'')).n, 0);
  });

  it('the same event in many POSTs of one batch is stored once', async () => {
    const counting = countingPool();
    const batcher = webhookBatcher(counting.pool, { maxInFlight: 1 });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => batcher.ingest(post('wamid.B3.same', '628333'))));
    assert.equal(counting.calls(), 2);
    assert.equal(outcomes.filter((o) => o.stored === 1).length, 1);
    assert.equal(outcomes.filter((o) => o.duplicates === 1).length, 9);
    assert.equal((await one(db.pool, 'select unread_count from wa_threads where contact_wa_id = \'628333\'')).unread_count, 1);
  });

  it('a batch holds at most maxBatch POSTs and maxEvents events', async () => {
    const counting = countingPool();
    const batcher = webhookBatcher(counting.pool, { maxInFlight: 1, maxBatch: 4, maxEvents: 1000 });
    await Promise.all(Array.from({ length: 9 }, (_, i) => batcher.ingest(post(`wamid.B4.${i}`, `6284${i}`))));
    assert.equal(counting.calls(), 3, '1 alone, then 4 and 4');
    const small = countingPool();
    const byEvents = webhookBatcher(small.pool, { maxInFlight: 1, maxEvents: 2 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => byEvents.ingest(post(`wamid.B5.${i}`, `6285${i}`))));
    assert.equal(small.calls(), 3, '1 alone, then 2 and 2');
    assert.equal(await messages('wamid.B4.') + await messages('wamid.B5.'), 14);
  });

  it('a second call starts only when a full batch waits: small backlogs wait for one bigger call', async () => {
    const few = countingPool();
    const batcher = webhookBatcher(few.pool, { maxInFlight: 2, maxBatch: 4 });
    await Promise.all(Array.from({ length: 4 }, (_, i) => batcher.ingest(post(`wamid.B8.${i}`, `6288${i}`))));
    assert.deepEqual([few.calls(), few.mostAtOnce()], [2, 1], '1 alone, then the 3 that waited, one after the other');
    const many = countingPool();
    const busy = webhookBatcher(many.pool, { maxInFlight: 2, maxBatch: 4 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => busy.ingest(post(`wamid.B9.${i}`, `6289${i}`))));
    assert.deepEqual([many.calls(), many.mostAtOnce()], [3, 2], '1 alone and a full 4 beside it, then the last one');
    assert.equal(await messages('wamid.B8.') + await messages('wamid.B9.'), 10);
  });

  it('past maxQueued waiting POSTs, a POST is refused at once with 503 ingest_overloaded; the rest are stored', async () => {
    const batcher = webhookBatcher(db.pool, { maxInFlight: 1, maxQueued: 2 });
    const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => batcher.ingest(post(`wamid.B6.${i}`, `6286${i}`))));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    assert.deepEqual([(results[3] as PromiseRejectedResult).reason.code, (results[3] as PromiseRejectedResult).reason.status], ['ingest_overloaded', 503]);
    assert.equal(await messages('wamid.B6.'), 3);
  });

  /** Notifications of the hub channel received by a listener of its own, from now on. */
  async function listen() {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const got: { kind: string; threadId: string }[] = [];
    let mediaWakeups = 0;
    client.on('notification', (n) => {
      if (n.channel === 'wabase_media_jobs') mediaWakeups++;
      else got.push(JSON.parse(n.payload!) as { kind: string; threadId: string });
    });
    await client.query('listen wabase_hub_events; listen wabase_media_jobs');
    return { got, mediaWakeups: () => mediaWakeups, close: () => client.end() };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('ingest sends no NOTIFY in its own transaction: its realtime events come back and go out after the commit', async () => {
    const listener = await listen();
    try {
      const outcome = await ingestPostJson(db.pool, toDatabaseJson(post('wamid.B7.one', '628777')));
      await settle();
      assert.equal(listener.got.length, 0, 'nothing NOTIFYed by the ingest transaction');
      const thread = (await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628777\'')).id;
      assert.deepEqual(outcome.hubEvents.map((e) => JSON.parse(e) as { kind: string; threadId: string }).map((e) => `${e.kind} ${e.threadId}`).sort(),
        [`message.created ${thread}`, `thread.updated ${thread}`]);
      await publishHubEvents(db.pool, [outcome, outcome]);
      await settle();
      assert.deepEqual(listener.got.map((e) => e.kind).sort(), ['message.created', 'thread.updated'], 'sent once each');
      // Outside ingest the triggers NOTIFY as before (a member changing a thread, the worker).
      await db.pool.query('update wa_threads set status = \'pending\' where id = $1', [thread]);
      await settle();
      assert.equal(listener.got.filter((e) => e.kind === 'thread.updated').length, 2);
    } finally {
      await listener.close();
    }
  });

  it('a batch publishes the events of the POSTs that committed, and none of a POST that failed', async () => {
    const listener = await listen();
    try {
      const batcher = webhookBatcher(db.pool, { maxInFlight: 1 });
      const broken = post('wamid.B8.bad', '628882').map((event) => ({ ...event, at: 'not a time' }));
      const first = batcher.ingest(post('wamid.B8.first', '628880'));
      await Promise.allSettled([batcher.ingest(post('wamid.B8.a', '628881')), batcher.ingest(broken), batcher.ingest(post('wamid.B8.b', '628883'))]);
      await first;
      await settle();
      const threads = (await db.pool.query<{ id: string; contact_wa_id: string }>('select id, contact_wa_id from wa_threads where contact_wa_id like \'62888%\'')).rows;
      const contactOf = new Map(threads.map((t) => [t.id, t.contact_wa_id]));
      assert.deepEqual([...new Set(listener.got.map((e) => contactOf.get(e.threadId)))].sort(), ['628880', '628881', '628883']);
      assert.equal(listener.got.length, 6, 'message.created and thread.updated for each stored POST');
    } finally {
      await listener.close();
    }
  });

  it('an inbound image queues its media job; the worker is woken after the commit, not from inside ingest', async () => {
    const listener = await listen();
    try {
      const outcome = await ingestPostJson(db.pool, toDatabaseJson(sqlEvents(webhookBody(imageChange('PN-BATCH', '628999', 'a photo', 'wamid.B9.img')))));
      await settle();
      assert.equal(outcome.mediaJobs, true);
      assert.equal(listener.mediaWakeups(), 0, 'no NOTIFY from the ingest transaction');
      assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_message_media m join wa_messages w on w.id = m.message_id where w.wa_message_id = \'wamid.B9.img\'')).n, 1);
      await publishHubEvents(db.pool, [outcome]);
      await settle();
      assert.equal(listener.mediaWakeups(), 1);
    } finally {
      await listener.close();
    }
  });
});
