// Webhook POSTs that arrive together share one database call, and each stays atomic on its own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookBatcher } from '../../src/hub/webhook/batcher.js';
import { sqlEvents } from '../../src/hub/webhook/ingest.js';
import { freshDatabase } from '../helpers/db.js';
import { textChange, webhookBody } from '../helpers/meta.js';
import { createWorkspace, one } from '../helpers/sql.js';

describe('webhook batching', async () => {
  const db = await freshDatabase();
  const ws = await createWorkspace(db.pool, 'batch-ws');
  await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-BATCH\')', [ws]);
  const post = (wamid: string, from = '628100') => sqlEvents(webhookBody(textChange('PN-BATCH', from, `text of ${wamid}`, wamid)));
  const messages = async (prefix: string) =>
    (await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_messages where wa_message_id like $1', [`${prefix}%`])).n;

  /** The pool's query calls, counted on the real pool (not a stand-in). */
  function countingPool() {
    let calls = 0;
    const query = db.pool.query.bind(db.pool);
    const pool = Object.create(db.pool) as typeof db.pool;
    pool.query = ((...args: Parameters<typeof query>) => {
      calls++;
      return query(...args);
    }) as typeof query;
    return { pool, calls: () => calls };
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

  it('past maxQueued waiting POSTs, a POST is refused at once with 503 ingest_overloaded; the rest are stored', async () => {
    const batcher = webhookBatcher(db.pool, { maxInFlight: 1, maxQueued: 2 });
    const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => batcher.ingest(post(`wamid.B6.${i}`, `6286${i}`))));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    assert.deepEqual([(results[3] as PromiseRejectedResult).reason.code, (results[3] as PromiseRejectedResult).reason.status], ['ingest_overloaded', 503]);
    assert.equal(await messages('wamid.B6.'), 3);
  });
});
