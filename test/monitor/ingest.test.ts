// Group-message ingest through Baileys-shaped events: kinds, media dedupe, blocklists, parent
// linking, size limit, replays and a crash mid-batch.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ingestMessages } from '../../src/monitor/ingest/ingest.js';
import { localStore } from '../../src/storage/local.js';
import { MEDIA_BUCKET } from '../../src/storage/store.js';
import { testJwtKey } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeConnector, wa } from '../helpers/fake-wa.js';
import { tempDir } from '../helpers/tmp.js';

describe('group message ingest', async () => {
  const db = await freshDatabase();
  const store = localStore({ root: tempDir('wabase-media-'), bucket: MEDIA_BUCKET, signingKey: testJwtKey, publicBaseUrl: 'http://localhost' });
  const fake = fakeConnector();
  const download = (m: Parameters<typeof fake.connector.download>[1]) => fake.connector.download(null as never, m);
  const deps = { pool: db.pool, store, mediaMaxBytes: 10_000, download };
  const G = '120363000000000001@g.us';
  const OFF = '120363000000000002@g.us';
  const BLOCKED = '120363000000000003@g.us';
  await db.pool.query(`insert into groups (wa_group_id, name, monitor) values ($1, 'Monitored', true), ($2, 'Not monitored', false), ($3, 'Blocked', true)`, [G, OFF, BLOCKED]);
  await db.pool.query(`insert into block_groups (wa_group_id, reason) values ($1, 'test')`, [BLOCKED]);
  const alice = '5511900000001@s.whatsapp.net';
  const bob = '5511900000002@s.whatsapp.net';
  const t0 = 1_760_000_000;
  const count = async (sql: string, params: unknown[] = []) => Number((await db.pool.query(sql, params)).rows[0].n);
  const message = async (id: string) => (await db.pool.query('select m.*, md.sha256, md.mime, md.bytes as media_bytes, md.width, md.height, md.duration_s, md.storage_path from messages m left join media md on md.id = m.media_id where wa_msg_id = $1', [id])).rows[0];
  const withMedia = (msg: ReturnType<typeof wa.image>, bytes: Uint8Array) => {
    fake.media.set(msg.key.id!, bytes);
    return msg;
  };

  it('maps every Baileys message type to the seed\'s kinds, keeping raw and media facts', async () => {
    const img = withMedia(wa.image(G, alice, t0, { caption: 'look' }), randomBytes(3000));
    const vid = withMedia(wa.video(G, alice, t0 + 1), randomBytes(5000));
    const aud = withMedia(wa.audio(G, bob, t0 + 2), randomBytes(900));
    const doc = withMedia(wa.document(G, bob, t0 + 3), randomBytes(2000));
    const stk = withMedia(wa.sticker(G, bob, t0 + 4), randomBytes(400));
    const txt = wa.text(G, alice, 'hello group', t0 + 5);
    const ext = wa.extendedText(G, bob, 'a reply', t0 + 6);
    const react = wa.reaction(G, bob, t0 + 7, txt.key.id!);
    const result = await ingestMessages(deps, [img, vid, aud, doc, stk, txt, ext, react, wa.keyExchange(G, bob, t0 + 8)]);
    assert.equal(result.stored, 8);
    const kinds = await Promise.all([img, vid, aud, doc, stk, txt, ext, react].map(async (m) => (await message(m.key.id!)).kind));
    assert.deepEqual(kinds, ['image', 'video', 'audio', 'doc', 'other', 'text', 'text', 'other']);
    const image = await message(img.key.id!);
    assert.equal(image.text, 'look');
    assert.equal(image.mime, 'image/jpeg');
    assert.equal(Number(image.media_bytes), 3000);
    assert.deepEqual([image.width, image.height], [640, 480]);
    assert.equal(image.sha256, createHash('sha256').update(fake.media.get(img.key.id!)!).digest('hex'));
    assert.equal(image.storage_path, `wa-media/${image.sha256}/original.jpg`);
    assert.deepEqual(await store.get(`${image.sha256}/original.jpg`), new Uint8Array(fake.media.get(img.key.id!)!));
    assert.equal(Number((await message(vid.key.id!)).duration_s), 12);
    assert.equal((await message(aud.key.id!)).storage_path.endsWith('/original.ogg'), true);
    assert.equal((await message(doc.key.id!)).text, 'the invoice');
    assert.equal((await message(react.key.id!)).text, '👍');
    assert.equal((await message(txt.key.id!)).raw.message.conversation, 'hello group');
    assert.equal(image.ts.getTime(), t0 * 1000);
    assert.equal(image.sender, alice);
    const audit = await db.pool.query(`select detail from audit_log where kind = 'ingest' order by at desc limit 1`);
    assert.deepEqual(audit.rows[0].detail, { count: 8 });
  });

  it('a replay of the same events changes nothing and downloads nothing again', async () => {
    const msg = withMedia(wa.image(G, alice, t0 + 100), randomBytes(1000));
    await ingestMessages(deps, [msg, wa.text(G, bob, 'x', t0 + 101, 'REPLAY-1')]);
    const before = await db.pool.query('select * from messages order by id');
    const downloads = fake.downloads.length;
    const audits = await count('select count(*) n from audit_log');
    const again = await ingestMessages(deps, [msg, wa.text(G, bob, 'x', t0 + 101, 'REPLAY-1'), msg]);
    assert.equal(again.stored, 0);
    assert.deepEqual((await db.pool.query('select * from messages order by id')).rows, before.rows);
    assert.equal(fake.downloads.length, downloads);
    assert.equal(await count('select count(*) n from audit_log'), audits);
  });

  it('messages and media dedupe under concurrent ingest of the same events', async () => {
    const bytes = randomBytes(4000);
    const batch = Array.from({ length: 10 }, (_, i) => withMedia(wa.image(G, bob, t0 + 200 + i), bytes));
    const results = await Promise.all(Array.from({ length: 6 }, () => ingestMessages(deps, batch)));
    assert.equal(results.reduce((sum, r) => sum + r.stored, 0), 10);
    assert.equal(await count('select count(*) n from messages where wa_msg_id = any($1)', [batch.map((m) => m.key.id)]), 10);
    const sha = createHash('sha256').update(bytes).digest('hex');
    assert.equal(await count('select count(*) n from media where sha256 = $1', [sha]), 1);
    assert.equal(await count('select count(distinct media_id) n from messages where wa_msg_id = any($1)', [batch.map((m) => m.key.id)]), 1);
  });

  it('blocklists: unmonitored and blocked groups, blocked senders (jid or number) and keywords are not archived', async () => {
    await db.pool.query(`insert into block_senders (sender) values ($1), ('5511900000009')`, [bob]);
    await db.pool.query(`insert into block_keywords (keyword) values ('SPAM')`);
    const carol = '5511900000009@s.whatsapp.net';
    const kept = wa.text(G, alice, 'fine message', t0 + 300);
    const result = await ingestMessages(deps, [
      kept,
      wa.text(OFF, alice, 'not monitored', t0 + 301),
      wa.text(BLOCKED, alice, 'blocked group', t0 + 302),
      wa.text(G, bob, 'blocked sender', t0 + 303),
      wa.text(G, carol, 'blocked by number', t0 + 304),
      wa.text(G, alice, 'buy this spam now', t0 + 305),
      wa.text('5511900000001@s.whatsapp.net', alice, 'a direct chat', t0 + 306),
    ]);
    assert.deepEqual([result.stored, result.filtered], [1, 5]);
    assert.equal(await count('select count(*) n from messages where ts between to_timestamp($1) and to_timestamp($2)', [t0 + 300, t0 + 306]), 1);
    assert.ok(await message(kept.key.id!));
    await db.pool.query('delete from block_senders; delete from block_keywords');
  });

  it('parent linking: a caption text and a media item from the same sender within 90 s, in both orders', async () => {
    const dave = '5511900000004@s.whatsapp.net';
    // Media first, text 30 s later, in separate batches.
    const photo = withMedia(wa.image(G, dave, t0 + 1000), randomBytes(500));
    await ingestMessages(deps, [photo]);
    const caption = wa.text(G, dave, 'this is the photo', t0 + 1030);
    await ingestMessages(deps, [caption]);
    assert.equal((await message(caption.key.id!)).parent_id, (await message(photo.key.id!)).id);
    // Text first, media 60 s later.
    const early = wa.text(G, dave, 'sending the pdf', t0 + 2000);
    await ingestMessages(deps, [early]);
    assert.equal((await message(early.key.id!)).parent_id, null);
    const pdf = withMedia(wa.document(G, dave, t0 + 2060), randomBytes(700));
    await ingestMessages(deps, [pdf]);
    assert.equal((await message(early.key.id!)).parent_id, (await message(pdf.key.id!)).id);
    // Too far apart, another sender, or another chat: no link.
    const late = wa.text(G, dave, 'much later', t0 + 2060 + 91);
    const other = wa.text(G, alice, 'someone else', t0 + 2061);
    await ingestMessages(deps, [late, other]);
    assert.equal((await message(late.key.id!)).parent_id, null);
    assert.equal((await message(other.key.id!)).parent_id, null);
  });

  it('text PostgreSQL cannot store (U+0000, a lone surrogate) is kept as U+FFFD; a literal "\\u0000" stays as typed', async () => {
    const nul = wa.text(G, alice, 'nul \u0000 here', t0 + 2500);
    const lone = wa.text(G, alice, 'half \ud83d of an emoji', t0 + 2501);
    const literal = wa.text(G, alice, 'typed \\u0000" by hand', t0 + 2502);
    const result = await ingestMessages(deps, [nul, lone, literal]);
    assert.equal(result.stored, 3);
    assert.equal((await message(nul.key.id!)).text, 'nul \uFFFD here');
    assert.equal((await message(lone.key.id!)).text, 'half \uFFFD of an emoji');
    assert.equal((await message(literal.key.id!)).text, 'typed \\u0000" by hand');
    assert.equal((await message(literal.key.id!)).raw.message.conversation, 'typed \\u0000" by hand');
  });

  it('media over MEDIA_MAX_BYTES is skipped with an audit error; the message is kept', async () => {
    const announced = withMedia(wa.image(G, alice, t0 + 3000, { fileLength: 50_000 }), randomBytes(50_000));
    const lied = withMedia(wa.image(G, alice, t0 + 3001, { fileLength: 100 }), randomBytes(20_000));
    const downloads = fake.downloads.length;
    const result = await ingestMessages(deps, [announced, lied]);
    assert.deepEqual([result.stored, result.mediaSkipped], [2, 2]);
    assert.equal(fake.downloads.length, downloads + 1, 'an announced oversize item is not downloaded at all');
    assert.equal((await message(announced.key.id!)).media_id, null);
    assert.equal((await message(lied.key.id!)).media_id, null);
    const errors = await db.pool.query(`select detail from audit_log where kind = 'error' and detail->>'reason' = 'media_too_large' order by detail->>'wa_msg_id'`);
    assert.deepEqual(errors.rows.map((r) => r.detail.wa_msg_id).sort(), [announced.key.id, lied.key.id].sort());
    assert.equal(errors.rows[0].detail.max_bytes, 10_000);
  });

  it('a crash mid-batch loses nothing that a replay restores, and the replay stores it once', async () => {
    const batch = [
      wa.text(G, alice, 'crash one', t0 + 4000),
      withMedia(wa.image(G, alice, t0 + 4001), randomBytes(800)),
      wa.text(G, bob, 'crash two', t0 + 4002),
    ];
    // The commit fails at the batch's last statement (its ingest audit row).
    await db.pool.query(`create function fail_ingest() returns trigger language plpgsql as $$ begin raise exception 'simulated crash'; end $$;
      create trigger fail_ingest before insert on audit_log for each row when (new.kind = 'ingest') execute function fail_ingest()`);
    await assert.rejects(ingestMessages(deps, batch), /simulated crash/);
    assert.equal(await count('select count(*) n from messages where wa_msg_id = any($1)', [batch.map((m) => m.key.id)]), 0);
    await db.pool.query('drop trigger fail_ingest on audit_log; drop function fail_ingest()');
    const replay = await ingestMessages(deps, batch);
    assert.equal(replay.stored, 3);
    assert.ok((await message(batch[1]!.key.id!)).media_id);
    assert.equal((await message(batch[2]!.key.id!)).parent_id, null);
  });

  it('a failed download keeps the message; a replay that can download fills in the media', async () => {
    const msg = wa.image(G, alice, t0 + 5000);
    const first = await ingestMessages(deps, [msg]);
    assert.deepEqual([first.stored, first.mediaSkipped], [1, 1]);
    assert.equal((await message(msg.key.id!)).media_id, null);
    fake.media.set(msg.key.id!, randomBytes(600));
    await ingestMessages(deps, [msg]);
    assert.ok((await message(msg.key.id!)).media_id);
  });
});
