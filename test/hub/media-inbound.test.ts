// Issue 17, inbound media: the worker archives it by sha256 in the private bucket (the group
// monitor's store), checks Meta's sha256, re-resolves lapsed URLs, backs off on failures.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { testApp, testUser } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeGraph } from '../helpers/fake-graph.js';
import { fakeMedia, RESOLVE } from '../helpers/fake-graph-media.js';
import { mediaChange, mediaConnection, startArchiver, until } from '../helpers/media-hub.js';
import { png } from '../helpers/media-files.js';
import { APP_SECRET, signedPost, webhookBody } from '../helpers/meta.js';
import { createWorkspace, one } from '../helpers/sql.js';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('inbound media archive', async () => {
  const db = await freshDatabase();
  const graph = await fakeGraph();
  const media = fakeMedia(graph);
  const { app, ctx } = await testApp(db, { META_APP_SECRET: APP_SECRET });
  const agent = await testUser(db, 'agent@media.example');
  const ws = await createWorkspace(db.pool, 'media-in', [agent.id]);
  await mediaConnection(db, ws, 'PN-MI', 'media-token-1');
  const post = (wamid: string, kind: string, body: Record<string, unknown>, timestamp?: number) =>
    app.inject(signedPost(webhookBody(mediaChange('PN-MI', '62811', kind, body, wamid, timestamp))));
  type Job = { state: string; attempts: number; last_error: string | null; sha256: string | null; next_in: number; message_id: string };
  const job = (wamid: string) => one<Job>(db.pool,
    `select j.state, j.attempts, j.last_error, j.sha256, extract(epoch from j.next_attempt_at - now())::float8 as next_in, j.message_id
     from wa_message_media j join wa_messages m on m.id = j.message_id where m.wa_message_id = $1`, [wamid]);

  it('archives an image once although the webhook came twice, and dedupes identical bytes by sha256', async () => {
    const image = png(4, 3, [200, 30, 30]);
    media.add('MID-1', image, 'image/jpeg');
    media.add('MID-2', image, 'image/jpeg');
    const body = { id: 'MID-1', mime_type: 'image/jpeg', sha256: createHash('sha256').update(image).digest('base64'), caption: 'foto' };
    for (let i = 0; i < 2; i++) assert.equal((await post('wamid.MI1', 'image', body)).statusCode, 200);
    assert.equal((await one(db.pool, 'select count(*)::int as n from wa_message_media')).n, 1, 'one job for a message delivered twice');
    assert.equal((await job('wamid.MI1')).state, 'pending', 'the webhook only records the job');
    assert.equal(media.resolves().length, 0, 'the webhook request downloads nothing');

    const worker = startArchiver(db, ctx.mediaStore, graph.url);
    await until(async () => (await job('wamid.MI1')).state === 'stored');
    await post('wamid.MI2', 'image', { id: 'MID-2', mime_type: 'image/jpeg', sha256: sha(image) });
    await until(async () => (await job('wamid.MI2')).state === 'stored');
    await worker.stop();
    assert.equal(media.downloads().length, 2);
    assert.equal((await one(db.pool, 'select count(*)::int as n from media where sha256 = $1', [sha(image)])).n, 1, 'one archived item for identical bytes');
    assert.equal((await job('wamid.MI1')).sha256, sha(image));
    const resolve = media.resolves()[0]!;
    assert.equal(resolve.authorization, 'Bearer media-token-1');
    assert.match(resolve.path, /^\/v21\.0\/MID-1\?phone_number_id=PN-MI$/);
  });

  it('the thread\'s messages carry the media with a signed URL that serves the bytes', async () => {
    const thread = await one<{ id: string }>(db.pool, 'select thread_id as id from wa_messages where wa_message_id = \'wamid.MI1\'');
    const res = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${thread.id}/messages`, headers: { authorization: `Bearer ${agent.token}` } });
    assert.equal(res.statusCode, 200, res.body);
    const message = res.json().messages.find((m: { waMessageId: string }) => m.waMessageId === 'wamid.MI1');
    assert.equal(message.media.kind, 'image');
    assert.equal(message.media.state, 'stored');
    assert.equal(message.media.caption, 'foto');
    assert.equal(message.media.mime, 'image/jpeg');
    const url = new URL(message.media.url);
    const bytes = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
    assert.equal(bytes.statusCode, 200);
    assert.equal(sha(bytes.rawPayload), message.media.sha256);
    assert.equal(bytes.headers['accept-ranges'], 'bytes');
    // Media players seek with ranges (Safari plays video and audio only so).
    const part = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { range: 'bytes=8-15' } });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 8-15/${bytes.rawPayload.length}`);
    assert.ok(part.rawPayload.equals(bytes.rawPayload.subarray(8, 16)));
    const past = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { range: `bytes=${bytes.rawPayload.length}-` } });
    assert.equal(past.statusCode, 416);
    assert.equal(past.json().error.code, 'range_not_satisfiable');
    const outsider = await testUser(db, 'outsider@media.example');
    const hidden = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${thread.id}/messages`, headers: { authorization: `Bearer ${outsider.token}` } });
    assert.equal(hidden.statusCode, 404);
  });

  it('refuses a download whose sha256 is not the one Meta announced: nothing is stored', async () => {
    const bytes = Buffer.from('%PDF-1.4 tampered');
    media.add('MID-BAD', bytes, 'application/pdf');
    await post('wamid.MIBAD', 'document', { id: 'MID-BAD', mime_type: 'application/pdf', sha256: sha(Buffer.from('the real file')), filename: 'nota.pdf' });
    const worker = startArchiver(db, ctx.mediaStore, graph.url);
    await until(async () => (await job('wamid.MIBAD')).state === 'failed');
    await worker.stop();
    assert.match((await job('wamid.MIBAD')).last_error!, /^sha256_mismatch/);
    assert.equal((await one(db.pool, 'select count(*)::int as n from media where sha256 = $1', [sha(bytes)])).n, 0);
  });

  it('wabase media status reports the failed job, and media retry queues it again with fresh attempts', async () => {
    const env = { DATABASE_URL: db.url };
    const status = await runCli(['media', 'status', '--workspace', 'media-in', '--json'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.ok((JSON.parse(status.stdout).states as { state: string; jobs: number }[]).some((s) => s.state === 'failed' && s.jobs === 1));
    const retry = await runCli(['media', 'retry', '--workspace', 'media-in', '--json'], env);
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(JSON.parse(retry.stdout).queued, 1);
    const again = await job('wamid.MIBAD');
    assert.deepEqual([again.state, again.attempts, again.last_error], ['pending', 0, null]);
    await db.pool.query('update wa_message_media set state = \'failed\' where message_id = $1', [again.message_id]);
    const unknown = await runCli(['media', 'retry', '--workspace', 'nope'], env);
    assert.notEqual(unknown.code, 0);
  });

  it('a download URL that no longer works is resolved again', async () => {
    const audio = Buffer.from('OggS fake voice note');
    media.add('MID-EXP', audio, 'audio/ogg');
    media.expireNextUrls(1);
    const before = media.resolves().length;
    await post('wamid.MIEXP', 'audio', { id: 'MID-EXP', mime_type: 'audio/ogg; codecs=opus', sha256: sha(audio), voice: true });
    const worker = startArchiver(db, ctx.mediaStore, graph.url);
    await until(async () => (await job('wamid.MIEXP')).state === 'stored');
    await worker.stop();
    assert.equal(media.resolves().length - before, 2, 'the lapsed URL was followed by a fresh resolve');
    assert.equal((await job('wamid.MIEXP')).attempts, 1, 'within the same attempt');
  });

  it('retries a 5xx with growing backoff, not in a hot loop', async () => {
    const video = Buffer.from('fake mp4 bytes');
    media.add('MID-5XX', video, 'video/mp4');
    graph.replyTo(RESOLVE, graph.error(500, 2, 'Service temporarily unavailable'), graph.error(503, 2, 'Service temporarily unavailable'));
    const before = media.resolves().length;
    const times: number[] = [];
    const worker = startArchiver(db, ctx.mediaStore, graph.url, { retryDelay: (attempt) => 0.4 * attempt });
    await post('wamid.MI5XX', 'video', { id: 'MID-5XX', mime_type: 'video/mp4', sha256: sha(video) });
    await until(async () => {
      while (times.length < media.resolves().length - before) times.push(Date.now());
      return (await job('wamid.MI5XX')).state === 'stored';
    });
    await worker.stop();
    assert.equal(media.resolves().length - before, 3, 'two failures, then success: one call per attempt');
    assert.ok(times[1]! - times[0]! >= 350, `first retry after ~0.4 s (was ${times[1]! - times[0]!} ms)`);
    assert.ok(times[2]! - times[1]! >= 750, `second retry after ~0.8 s (was ${times[2]! - times[1]!} ms)`);
    assert.equal((await job('wamid.MI5XX')).attempts, 3);
  });

  it('a failure backs off by default (Meta throttles media errors), and media ids past 7 days are expired without a call', async () => {
    graph.replyTo(RESOLVE, graph.error(500, 2, 'down'));
    await post('wamid.MIBACK', 'image', { id: 'MID-NONE', mime_type: 'image/png' });
    const worker = startArchiver(db, ctx.mediaStore, graph.url);
    await until(async () => (await job('wamid.MIBACK')).attempts === 1 && (await job('wamid.MIBACK')).state === 'pending');
    const waiting = await job('wamid.MIBACK');
    assert.ok(waiting.next_in > 15, `next attempt in ${waiting.next_in} s`);
    const before = media.resolves().length;
    await post('wamid.MIOLD', 'sticker', { id: 'MID-OLD', mime_type: 'image/webp', animated: false }, Math.floor(Date.now() / 1000) - 8 * 86_400);
    await until(async () => (await job('wamid.MIOLD')).state === 'expired');
    await worker.stop();
    assert.equal(media.resolves().length, before, 'no call for an expired media id');
  });
});
