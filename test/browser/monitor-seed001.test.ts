// Seed 001 §10 (Acceptance Criteria), each item a person can see, checked on the screen and in the
// database, one step per item and named after it. The items nobody can see (running 0001_init.sql
// twice, every table and index existing) are checked in test/schema/seed001-acceptance.test.ts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshots, skipReason, waitForTrue, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';
import { wa } from '../helpers/fake-wa.js';
import { png } from '../helpers/media-files.js';
import { signIn } from '../helpers/monitor-browser.js';
import { monitorFixture, until } from '../helpers/monitor-fixture.js';

describe('seed 001 acceptance items, on the screen and in the database', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  const f = await monitorFixture(db);
  const G = { north: '120363999000000001@g.us', south: '120363999000000002@g.us', east: '120363999000000003@g.us' };
  const watched = (browser ? await watchedPage(browser, f.url) : null) as WatchedPage;
  const page = watched?.page as Page;
  page?.setDefaultTimeout(10_000);
  const step = (name: string, fn: () => Promise<void>) => it(name, { skip: browser ? false : skipReason }, fn);
  const sql = async (text: string, params: unknown[] = []) => (await db.pool.query(text, params)).rows;
  const socket = () => f.fake.last();
  const tab = (name: string) => page.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name, exact: true }).click();
  const feed = () => page.getByRole('list', { name: 'Messages' });
  const photo = png(40, 30, [20, 160, 90]);
  let t = Math.floor(Date.now() / 1000) - 3600;

  step('wa_sessions has ≤ 1 row (seeded disconnected)', async () => {
    assert.deepEqual(await sql('select status from wa_sessions'), [{ status: 'disconnected' }], 'the seeded row, before anyone acts');
    await signIn(page, '/monitor', f.owner.email, 'Session');
    await page.getByTestId('session-status').getByText('Disconnected', { exact: true }).waitFor();
    // Linking a phone changes that one row; it never adds a second.
    await page.getByRole('button', { name: 'Link a phone', exact: true }).click();
    await until('the worker connecting', async () => f.fake.sockets.length === 1);
    socket().user = { id: '5511955554444:1@s.whatsapp.net', name: 'Seed phone' };
    socket().groups = {
      [G.north]: { id: G.north, subject: 'North shop' }, [G.south]: { id: G.south, subject: 'South shop' }, [G.east]: { id: G.east, subject: 'East shop' },
    };
    socket().emit('connection.update', { connection: 'open' });
    await page.getByTestId('session-status').getByText('Connected', { exact: true }).waitFor();
    assert.deepEqual(await sql('select status, wa_number from wa_sessions'), [{ status: 'connected', wa_number: '5511955554444' }]);
    watched.expectClean();
  });

  step('Query by groups.monitor=true returns expected rows', async () => {
    await tab('Groups');
    const list = page.getByRole('list', { name: 'Groups' });
    await list.getByText('East shop', { exact: true }).waitFor();
    await page.getByRole('switch', { name: 'Monitor North shop' }).click();
    await page.getByRole('switch', { name: 'Monitor South shop' }).click();
    await until('two monitored', async () => (await sql('select count(*)::int n from groups where monitor'))[0].n === 2);
    await page.getByLabel('Filter groups').selectOption('monitored');
    await waitForTrue(page, 'document.querySelectorAll("[aria-label=Groups] > li").length === 2');
    const onScreen = await list.locator('li span.font-medium').allTextContents();
    const inDatabase = (await sql('select name from groups where monitor = true order by name')).map((r) => r.name);
    assert.deepEqual(onScreen, ['North shop', 'South shop']);
    assert.deepEqual(onScreen, inDatabase);
    await screenshots(page, 'seed001-monitored-groups');
    watched.expectClean();
  });

  step('Insert duplicate wa_msg_id → fails (unique constraint)', async () => {
    const hello = wa.text(G.north, '5511911110001@s.whatsapp.net', 'delivered twice by WhatsApp', t++);
    socket().emit('messages.upsert', { type: 'notify', messages: [hello] });
    await until('stored', async () => (await sql('select 1 from messages where wa_msg_id = $1', [hello.key.id])).length === 1);
    // The same message again (a reconnect replays it): still one row, and one card on the screen.
    socket().emit('messages.upsert', { type: 'notify', messages: [hello, wa.text(G.north, '5511911110001@s.whatsapp.net', 'after the replay', t++)] });
    await tab('Archive');
    await feed().getByText('after the replay', { exact: true }).waitFor();
    assert.equal(await feed().getByText('delivered twice by WhatsApp', { exact: true }).count(), 1);
    assert.equal((await sql('select count(*)::int n from messages where wa_msg_id = $1', [hello.key.id]))[0].n, 1);
    await assert.rejects(
      db.pool.query('insert into messages (wa_msg_id, ts, chat_id, sender, kind) select wa_msg_id, ts, chat_id, sender, kind from messages where wa_msg_id = $1', [hello.key.id]),
      { code: '23505', constraint: 'messages_wa_msg_id_key' },
    );
    watched.expectClean();
  });

  step('Insert duplicate sha256 → reuses media row (app responsibility) but DB unique prevents dup row', async () => {
    // The same photo forwarded to two groups: two messages, one media row, one stored object.
    const first = wa.image(G.north, '5511911110002@s.whatsapp.net', t++);
    const second = wa.image(G.south, '5511911110003@s.whatsapp.net', t++);
    f.fake.media.set(first.key.id!, photo);
    f.fake.media.set(second.key.id!, photo);
    socket().emit('messages.upsert', { type: 'notify', messages: [first, second] });
    const images = feed().locator('li[data-kind=image] img');
    await until('both images on the screen', async () => (await images.count()) === 2);
    await waitForTrue(page, 'Array.from(document.querySelectorAll("li[data-kind=image] img")).every((img) => img.complete && img.naturalWidth === 40)', 5000);
    const paths = await Promise.all((await images.all()).map(async (el) => new URL((await el.getAttribute('src'))!).pathname));
    const sha = createHash('sha256').update(photo).digest('hex');
    assert.deepEqual(paths.map((p) => p.split('/')[6]), [sha, sha], 'both cards show the one stored object');
    const rows = await sql('select m.media_id, md.sha256 from messages m join media md on md.id = m.media_id where m.wa_msg_id = any($1)', [[first.key.id, second.key.id]]);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].media_id, rows[1].media_id, 'one media row for both');
    assert.equal((await sql('select count(*)::int n from media where sha256 = $1', [sha]))[0].n, 1);
    await assert.rejects(
      db.pool.query('insert into media (sha256, mime, bytes, storage_path) values ($1, \'image/png\', 1, \'x\')', [sha]),
      { code: '23505', constraint: 'media_sha256_key' },
    );
    watched.expectClean();
  });

  step('GET /api/messages (via API) can join media and return a valid signed URL', async () => {
    const img = feed().locator('li[data-kind=image] img').first();
    const src = (await img.getAttribute('src'))!;
    assert.match(new URL(src).pathname, /^\/storage\/v1\/object\/sign\/wa-media\/[0-9a-f]{64}\/original\.[a-z0-9]+$/);
    const digest = `fetch(${JSON.stringify(src)}).then((r) => r.arrayBuffer()).then((b) => crypto.subtle.digest('SHA-256', b))`;
    const hex = await page.evaluate(`${digest}.then((d) => Array.from(new Uint8Array(d)).map((x) => x.toString(16).padStart(2, '0')).join(''))`);
    assert.equal(hex, createHash('sha256').update(photo).digest('hex'), 'the page\'s URL serves the archived bytes');
    const joined = await sql('select md.mime, md.bytes::int as bytes from messages m join media md on md.id = m.media_id where m.kind = \'image\' limit 1');
    assert.deepEqual(joined, [{ mime: 'image/jpeg', bytes: photo.length }]);
    await screenshots(page, 'seed001-archive');
    watched.expectClean();
  });

  step('Bucket wa-media exists and is private', async () => {
    assert.deepEqual(await sql('select id, public from storage.buckets where id = \'wa-media\''), [{ id: 'wa-media', public: false }]);
    const src = (await feed().locator('li[data-kind=image] img').first().getAttribute('src'))!;
    const bare = new URL(src);
    bare.search = '';
    // Without the signature, the object the page shows is refused; so is a tampered signature.
    const status = (url: string) => page.evaluate(`fetch(${JSON.stringify(url)}, { cache: 'no-store' }).then((r) => r.status)`);
    assert.equal(await status(bare.toString()), 400);
    assert.equal(await status(`${src.slice(0, -4)}AAAA`), 403);
    watched.expectClean([`400 GET ${bare.pathname}`, `403 GET ${bare.pathname}`]);
  });

  step('uuid-ossp + pg_trgm extensions exist', async () => {
    assert.deepEqual((await sql('select extname from pg_extension where extname in (\'uuid-ossp\', \'pg_trgm\') order by 1')).map((r) => r.extname), ['pg_trgm', 'uuid-ossp']);
    // What a person sees of them: uuid ids in the URL, and search by a fragment inside a word.
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'North shop' });
    await page.waitForURL((url) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(url.searchParams.get('groupId') ?? ''));
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('eplay');
    await page.waitForURL((url) => url.searchParams.get('q') === 'eplay');
    await waitForTrue(page, 'document.querySelectorAll("[aria-label=Messages] > li").length === 1');
    await feed().getByText('after the replay', { exact: true }).waitFor();
    watched.expectClean();
  });

  it('the worker stops cleanly', () => f.stop());
});
