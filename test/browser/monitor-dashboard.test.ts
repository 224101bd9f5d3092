import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshots, skipReason, waitForTrue, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';
import { wa } from '../helpers/fake-wa.js';
import { png } from '../helpers/media-files.js';
import { signIn } from '../helpers/monitor-browser.js';
import { monitorFixture, until } from '../helpers/monitor-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { ingestMessages } from '../../src/monitor/ingest/ingest.js';

/** zbarimg decodes a screenshot of the QR when it is installed (apt-get install zbar-tools); null otherwise. */
function decodeQr(file: string): string | null {
  try {
    return execFileSync('zbarimg', ['-q', '--raw', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

// Issue 14 in Chromium, against the scripted WhatsApp Web fake: an owner links a phone by QR,
// picks groups, browses messages and media, manages blocklists; a viewer only reads.
describe('group monitor dashboard in the browser', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  const f = await monitorFixture(db);
  const G = { sales: '120363777000000001@g.us', stock: '120363777000000002@g.us', family: '120363777000000003@g.us' };
  const ANA = { lid: '204318777000001@lid', pn: '5511977770001@s.whatsapp.net' };
  const BEN = { lid: '204318777000002@lid', pn: '5511977770002@s.whatsapp.net' };
  const owner = (browser ? await watchedPage(browser, f.url) : null) as WatchedPage;
  const viewer = (browser ? await watchedPage(browser, f.url) : null) as WatchedPage;
  const page = owner?.page as Page;
  page?.setDefaultTimeout(10_000);
  const step = (name: string, fn: () => Promise<void>) => it(name, { skip: browser ? false : skipReason }, fn);
  const sql = async (text: string, params: unknown[] = []) => (await db.pool.query(text, params)).rows;
  const socket = () => f.fake.last();
  let t = Math.floor(Date.now() / 1000) - 3600;
  const files = { image: png(64, 48, [200, 30, 30]), video: randomBytes(6000), audio: randomBytes(900), doc: randomBytes(2000) };

  step('an owner signs in; /monitor shows the session disconnected and the Monitor link', async () => {
    await signIn(page, '/monitor', f.owner.email, 'Session');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Monitor' }).waitFor();
    await page.getByTestId('session-status').getByText('Disconnected', { exact: true }).waitFor();
    await screenshots(page, 'monitor-session-disconnected');
    owner.expectClean();
  });

  step('Link a phone: the QR is shown, replaced while the dialog is open, and the dialog closes on connect', async () => {
    await page.getByRole('button', { name: 'Link a phone' }).click();
    await page.getByRole('dialog', { name: 'Link a phone' }).waitFor();
    await until('the worker connecting', async () => f.fake.sockets.length === 1);
    socket().emit('connection.update', { qr: '2@first-qr,AbCdEf0123456789,XyZ=' });
    const qr = page.getByRole('img', { name: 'WhatsApp linking QR code' });
    await qr.waitFor();
    assert.equal(await qr.getAttribute('data-qr'), '2@first-qr,AbCdEf0123456789,XyZ=');
    const shot = path.join(tempDir('wabase-qr-'), 'qr.png');
    await qr.screenshot({ path: shot });
    const decoded = decodeQr(shot);
    if (decoded !== null) assert.equal(decoded, '2@first-qr,AbCdEf0123456789,XyZ=', 'the drawn QR scans as the worker\'s text');
    const left = Number(await page.getByTestId('qr-countdown').textContent());
    assert.ok(left > 10 && left <= 20, `countdown ${left}`);
    await screenshots(page, 'monitor-qr');
    // WhatsApp rotates the QR: the open dialog follows by itself.
    socket().emit('connection.update', { qr: '2@second-qr,AbCdEf0123456789,XyZ=' });
    await waitForTrue(page, 'document.querySelector("[data-qr]")?.getAttribute("data-qr") === "2@second-qr,AbCdEf0123456789,XyZ="', 4000);
    socket().user = { id: '5511988887777:4@s.whatsapp.net', name: 'Ops phone' };
    socket().groups = {
      [G.sales]: { id: G.sales, subject: 'Sales floor', participants: [{ id: ANA.lid, phoneNumber: ANA.pn }] },
      [G.stock]: { id: G.stock, subject: 'Stock room' },
      [G.family]: { id: G.family, subject: 'Family' },
    };
    socket().emit('connection.update', { connection: 'open' });
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByText('Phone linked', { exact: true }).waitFor();
    await page.getByTestId('session-status').getByText('Connected', { exact: true }).waitFor();
    await page.getByText('+5511988887777').waitFor();
    assert.deepEqual(await sql('select status, wa_number, wa_name from wa_sessions'), [{ status: 'connected', wa_number: '5511988887777', wa_name: 'Ops phone' }]);
    await screenshots(page, 'monitor-session-connected');
    owner.expectClean();
  });

  step('discovery fills the groups list (the seed\'s first request runs on connect); search and filter', async () => {
    await page.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor();
    const list = page.getByRole('list', { name: 'Groups' });
    await waitForTrue(page, 'document.querySelectorAll("[aria-label=Groups] > li").length === 3', 8000);
    assert.deepEqual(await list.locator('li span.font-medium').allTextContents(), ['Family', 'Sales floor', 'Stock room']);
    assert.equal((await sql('select count(*)::int n from groups where monitor')).at(0).n, 0, 'discovery never flips monitor');
    await page.getByRole('searchbox', { name: 'Search groups by name' }).fill('sto');
    await page.waitForURL((url) => url.searchParams.get('q') === 'sto');
    await waitForTrue(page, 'document.querySelectorAll("[aria-label=Groups] > li").length === 1');
    await page.getByRole('searchbox', { name: 'Search groups by name' }).fill('');
    await waitForTrue(page, 'document.querySelectorAll("[aria-label=Groups] > li").length === 3');
    await screenshots(page, 'monitor-groups');
    owner.expectClean();
  });

  step('the Monitor switch: on makes the next messages appear in the archive, off stops them; a refusal rolls back', async () => {
    await page.getByRole('switch', { name: 'Monitor Sales floor' }).click();
    await until('monitor on in the database', async () => (await sql('select monitor from groups where wa_group_id = $1', [G.sales]))[0].monitor);
    assert.equal(await page.getByRole('switch', { name: 'Monitor Sales floor' }).getAttribute('aria-checked'), 'true');
    await page.getByLabel('Filter groups').selectOption('monitored');
    await page.waitForURL((url) => url.searchParams.get('filter') === 'monitored');
    await waitForTrue(page, 'document.querySelectorAll("[aria-label=Groups] > li").length === 1');
    await page.getByLabel('Filter groups').selectOption('');
    socket().emit('messages.upsert', { type: 'notify', messages: [wa.text(G.sales, ANA.lid, 'sales are up', t++), wa.text(G.stock, BEN.pn, 'stock is not monitored', t++)] });
    await page.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name: 'Archive' }).click();
    await page.getByText('sales are up', { exact: true }).waitFor();
    assert.equal(await page.getByText('stock is not monitored').count(), 0);
    // The lid sender is shown by the name and number the mapping from group metadata gives.
    await page.getByRole('list', { name: 'Messages' }).getByText('+5511977770001').waitFor();
    await page.goBack();
    await page.getByRole('switch', { name: 'Monitor Sales floor' }).click();
    await until('monitor off', async () => !(await sql('select monitor from groups where wa_group_id = $1', [G.sales]))[0].monitor);
    socket().emit('messages.upsert', { type: 'notify', messages: [wa.text(G.sales, ANA.lid, 'after switching off', t++)] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await sql('select count(*)::int n from messages where text = \'after switching off\'')).at(0).n, 0);
    // The API refuses (answered here as a busy database would): the switch flips back and the message is shown.
    const familyId = (await sql('select id from groups where wa_group_id = $1', [G.family]))[0].id;
    await page.route('**/api/monitor/groups/*/toggle', (route) => route.fulfill({
      status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'database_busy', message: 'The database is busy: try again' } }),
    }));
    await page.getByRole('switch', { name: 'Monitor Family' }).click();
    await page.getByText('The database is busy: try again', { exact: true }).waitFor();
    await waitForTrue(page, 'document.querySelector("[aria-label=\'Monitor Family\']").getAttribute("aria-checked") === "false"');
    await page.unroute('**/api/monitor/groups/*/toggle');
    assert.equal((await sql('select monitor from groups where id = $1', [familyId]))[0].monitor, false);
    owner.expectClean([`503 POST /api/monitor/groups/${familyId}/toggle`]);
  });

  step('Fetch groups now asks the worker; asked again too soon it says "try again in N s"; a rename shows in the history', async () => {
    socket().groups[G.stock] = { id: G.stock, subject: 'Stock room (north)' };
    // The limiter counts in fixed windows of MONITOR_FLAG_INTERVAL_SECONDS (3 s in the fixture):
    // both clicks must land in one window, or the second is rightly accepted in the next.
    while ((Date.now() / 1000) % 3 > 0.5) await new Promise((resolve) => setTimeout(resolve, 20));
    await page.getByRole('button', { name: 'Fetch groups now' }).click();
    await page.getByText('Discovery requested', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Fetch groups now' }).click();
    await page.getByRole('alert').getByText(/^Already requested: try again in \d+ s$/).waitFor();
    await page.getByText('Stock room (north)', { exact: true }).waitFor({ timeout: 8000 });
    await page.getByRole('button', { name: 'Rename history of Stock room (north)' }).click();
    await page.getByRole('dialog').getByText('“Stock room” → “Stock room (north)”').waitFor();
    await screenshots(page, 'monitor-rename-history');
    await page.keyboard.press('Escape');
    owner.expectClean(['429 POST /api/monitor/fetch-groups-now']);
  });

  step('the archive shows an image, a video, an audio and a document from their signed URLs, and filters by group, kind and q', async () => {
    await sql('update groups set monitor = true where wa_group_id in ($1, $2)', [G.sales, G.stock]);
    const image = wa.image(G.sales, ANA.lid, t++);
    const caption = wa.text(G.sales, ANA.lid, 'new shelf layout', t++);
    const video = wa.video(G.sales, BEN.pn, t++);
    const audio = wa.audio(G.stock, BEN.pn, t++);
    const doc = wa.document(G.stock, BEN.pn, t++);
    for (const [m, bytes] of [[image, files.image], [video, files.video], [audio, files.audio], [doc, files.doc]] as const) f.fake.media.set(m.key.id!, bytes);
    // Another sender: a text of the document's sender within 90 s would become its caption.
    socket().emit('messages.upsert', { type: 'notify', messages: [image, caption, video, audio, doc, wa.text(G.stock, ANA.pn, 'pallet count is 42', t++)] });
    await page.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name: 'Archive' }).click();
    const feed = page.getByRole('list', { name: 'Messages' });
    await feed.getByText('pallet count is 42', { exact: true }).waitFor();
    // A caption shows with its image (parent_id), not as a message of its own.
    const imageCard = feed.locator('li[data-kind=image]');
    await imageCard.getByText('new shelf layout', { exact: true }).waitFor();
    assert.equal(await feed.locator('li[data-kind=text]').filter({ hasText: 'new shelf layout' }).count(), 0);
    await waitForTrue(page, 'Array.from(document.querySelectorAll("li[data-kind=image] img")).every((img) => img.complete && img.naturalWidth === 64)', 5000);
    await feed.locator('li[data-kind=video] video').waitFor();
    await feed.locator('li[data-kind=audio] audio').waitFor();
    await feed.getByRole('link', { name: /invoice\.pdf/ }).waitFor();
    await feed.getByText('2 KB', { exact: true }).waitFor();
    // The page's own URLs serve the archived bytes.
    const srcs = {
      image: await imageCard.locator('img').getAttribute('src'),
      video: await feed.locator('li[data-kind=video] video').getAttribute('src'),
      audio: await feed.locator('li[data-kind=audio] audio').getAttribute('src'),
      doc: await feed.getByRole('link', { name: /invoice\.pdf/ }).getAttribute('href'),
    };
    for (const [kind, src] of Object.entries(srcs)) {
      const digest = `fetch(${JSON.stringify(src)}).then((r) => r.arrayBuffer()).then((b) => crypto.subtle.digest('SHA-256', b))`;
      const hex = await page.evaluate(`${digest}.then((d) => Array.from(new Uint8Array(d)).map((x) => x.toString(16).padStart(2, '0')).join(''))`);
      assert.equal(hex, createHash('sha256').update(files[kind as keyof typeof files]).digest('hex'), `${kind} bytes`);
    }
    await screenshots(page, 'monitor-archive');
    await imageCard.getByRole('button', { name: /Open image full size/ }).click();
    await page.getByRole('dialog', { name: 'Image' }).locator('img').waitFor();
    await page.keyboard.press('Escape');
    // Filters go to the URL as plain parameters and narrow the feed.
    await page.getByLabel('Kind', { exact: true }).selectOption('image');
    await page.waitForURL((url) => url.searchParams.get('kind') === 'image');
    await waitForTrue(page, 'document.querySelectorAll("[aria-label=Messages] > li").length === 1 && !!document.querySelector("li[data-kind=image]")');
    await page.getByLabel('Kind', { exact: true }).selectOption('');
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Stock room (north)' });
    await page.waitForURL((url) => url.searchParams.has('groupId') && !url.searchParams.has('kind'));
    await waitForTrue(page, 'document.querySelectorAll("[aria-label=Messages] > li").length === 3');
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('pallet');
    await page.waitForURL((url) => url.searchParams.get('q') === 'pallet');
    await waitForTrue(page, 'document.querySelectorAll("[aria-label=Messages] > li").length === 1');
    const stockId = (await sql('select id from groups where wa_group_id = $1', [G.stock]))[0].id;
    assert.deepEqual(Object.fromEntries(new URL(page.url()).searchParams), { groupId: stockId, q: 'pallet' });
    await page.reload();
    await feed.getByText('pallet count is 42', { exact: true }).waitFor();
    assert.equal(await page.getByRole('searchbox', { name: 'Search messages' }).inputValue(), 'pallet');
    await screenshots(page, 'monitor-archive-filtered');
    owner.expectClean();
  });

  step('blocklists stop ingest for a group, a sender by lid, a sender by number and a keyword', async () => {
    await page.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name: 'Blocklists' }).click();
    await page.getByRole('heading', { name: 'Blocklists', exact: true }).waitFor();
    const add = async (section: string, value: string, reason: string) => {
      const form = page.getByRole('form', { name: `Add to ${section}` });
      await form.getByRole('textbox').first().fill(value);
      await form.getByLabel('Reason').fill(reason);
      await form.getByRole('button', { name: 'Block' }).click();
    };
    await add('blocked groups', G.stock, 'noisy');
    await page.getByRole('list', { name: 'Blocked groups' }).getByText(G.stock).waitFor();
    await add('blocked senders', BEN.lid, 'spammer (lid)');
    await page.getByRole('list', { name: 'Blocked senders' }).getByText(BEN.lid).waitFor();
    await add('blocked senders', '+55 11 97777-0001', 'ana by number');
    await page.getByRole('list', { name: 'Blocked senders' }).getByText('5511977770001', { exact: true }).waitFor();
    await add('blocked keywords', 'Giveaway', 'scam');
    await page.getByRole('list', { name: 'Blocked keywords' }).getByText('giveaway', { exact: true }).waitFor();
    // A field-named error from the API is shown at the field.
    await add('blocked senders', 'not a number', '');
    await page.getByText(/^value must be a phone number/).waitFor();
    await screenshots(page, 'monitor-blocklists');
    const senders = (await sql('select sender, reason from block_senders order by sender')).map((r) => `${r.sender} ${r.reason}`);
    assert.deepEqual(senders, ['204318777000002@lid spammer (lid)', '5511977770001 ana by number']);
    // Ben sends by phone jid (blocked by his lid, through the mapping his message key gives); Ana as a lid (blocked by number).
    const cara = '5511977770003@s.whatsapp.net';
    const dropped = ['blocked group', 'ben by phone, blocked by lid', 'ana as lid, blocked by number', 'big GIVEAWAY today'];
    socket().emit('messages.upsert', {
      type: 'notify',
      messages: [
        wa.text(G.stock, cara, dropped[0]!, t++),
        wa.withAlt(wa.text(G.sales, BEN.pn, dropped[1]!, t++), BEN.lid),
        wa.text(G.sales, ANA.lid, dropped[2]!, t++),
        wa.text(G.sales, cara, dropped[3]!, t++),
        wa.text(G.sales, cara, 'cara says hi', t++),
      ],
    });
    await page.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name: 'Archive' }).click();
    await page.getByRole('list', { name: 'Messages' }).getByText('cara says hi', { exact: true }).waitFor();
    for (const text of dropped) assert.equal(await page.getByText(text, { exact: true }).count(), 0, text);
    assert.equal((await sql('select count(*)::int n from messages where text = any($1)', [dropped])).at(0).n, 0);
    owner.expectClean(['400 POST /api/monitor/blocklists/senders']);
  });

  step('the activity page lists the audit log by kind', async () => {
    await page.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name: 'Activity' }).click();
    await page.getByLabel('Activity kind').selectOption('group_rename');
    await page.waitForURL((url) => url.searchParams.get('kind') === 'group_rename');
    await page.getByRole('list', { name: 'Activity' }).getByText('“Stock room” → “Stock room (north)”').waitFor();
    await page.getByLabel('Activity kind').selectOption('');
    await page.getByRole('list', { name: 'Activity' }).getByText('qr_generated').first().waitFor();
    await screenshots(page, 'monitor-activity');
    owner.expectClean();
  });

  step('a viewer sees no QR, no switches, no blocklist forms, and the API refuses them the QR', async () => {
    const vp = viewer.page;
    vp.setDefaultTimeout(10_000);
    await signIn(vp, '/monitor', f.viewer.email, 'Session');
    await vp.getByText('linking and disconnecting are for owners and ops', { exact: false }).waitFor();
    assert.equal(await vp.getByRole('button', { name: 'Link a phone' }).count(), 0);
    assert.equal(await vp.getByRole('button', { name: 'Disconnect' }).count(), 0);
    await vp.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name: 'Groups' }).click();
    await vp.getByRole('list', { name: 'Groups' }).getByText('Sales floor').waitFor();
    assert.equal(await vp.getByRole('switch').count(), 0);
    assert.equal(await vp.getByRole('button', { name: 'Fetch groups now' }).count(), 0);
    await vp.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name: 'Blocklists' }).click();
    await vp.getByRole('list', { name: 'Blocked groups' }).getByText(G.stock).waitFor();
    assert.equal(await vp.getByRole('form').count(), 0);
    assert.equal(await vp.getByRole('button', { name: /^Unblock/ }).count(), 0);
    await screenshots(vp, 'monitor-viewer-blocklists');
    const token = 'JSON.parse(localStorage.getItem("wabase-auth")).access_token';
    const status = await vp.evaluate(`fetch("/api/monitor/qr", { headers: { authorization: "Bearer " + ${token} } }).then((r) => r.status)`);
    assert.equal(status, 403);
    viewer.expectClean(['403 GET /api/monitor/qr']);
  });

  step('Disconnect asks for confirmation, then the worker logs out', async () => {
    await page.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name: 'Session' }).click();
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('alertdialog', { name: 'Disconnect the phone?' }).waitFor();
    await screenshots(page, 'monitor-disconnect-confirm');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect' }).click();
    await until('the logout', async () => socket().loggedOut);
    await page.getByTestId('session-status').getByText('Disconnected', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Reconnects and errors' }).getByText('requested').first().waitFor();
    assert.equal((await sql('select status from wa_sessions'))[0].status, 'disconnected');
    owner.expectClean();
  });

  it('the worker stops cleanly', () => f.stop());
});

// A page left open past the signed URLs' lifetime re-reads them instead of showing broken media.
describe('archive media with short-lived signed URLs', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  // 8.6 s: the page replaces each URL 5 s before it expires.
  const f = await monitorFixture(db, { SIGNED_URL_TTL_DAYS: '0.0001' });
  const watched = (browser ? await watchedPage(browser, f.url) : null) as WatchedPage;
  const G = '120363777000000009@g.us';
  await db.pool.query('insert into groups (wa_group_id, name, monitor) values ($1, \'Photos\', true)', [G]);

  it('an expired URL is replaced by a fresh one that loads', { skip: browser ? false : skipReason }, async () => {
    const page = watched.page;
    const image = wa.image(G, '5511900000001@s.whatsapp.net', Math.floor(Date.now() / 1000));
    const bytes = png(32, 32, [10, 120, 200]);
    const download = async () => (async function* one() {
      yield bytes;
    })();
    await ingestMessages({ pool: db.pool, store: f.ctx.mediaStore, mediaMaxBytes: 100_000, download }, [image]);
    await signIn(page, '/monitor/messages?date=2999-01-01', f.owner.email, 'Archive');
    const img = page.locator('li[data-kind=image] img');
    await img.waitFor();
    const first = await img.getAttribute('src');
    await waitForTrue(page, `document.querySelector("li[data-kind=image] img").getAttribute("src") !== ${JSON.stringify(first)}`, 9000);
    await waitForTrue(page, 'document.querySelector("li[data-kind=image] img").complete && document.querySelector("li[data-kind=image] img").naturalWidth === 32', 3000);
    // Past the first URL's lifetime it is refused: the page replaced it in time.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    assert.equal(await page.evaluate(`fetch(${JSON.stringify(first)}, { cache: 'no-store' }).then((r) => r.status)`), 403, 'the first URL has expired by now');
    watched.expectClean([`403 GET ${new URL(first!).pathname}`]);
  });

  it('the archive pages by keyset ("Load older") and jumps to a date from the URL', { skip: browser ? false : skipReason }, async () => {
    const page = watched.page;
    // 120 texts, one every 6 hours back from 2026-03-31 12:00 UTC.
    await db.pool.query(`insert into messages (wa_msg_id, ts, chat_id, sender, kind, text, group_id)
      select 'PAGE' || g, timestamptz '2026-03-31 12:00Z' - g * interval '6 hours', $1, '5511900000002@s.whatsapp.net', 'text', 'page note ' || g,
             (select id from groups where wa_group_id = $1)
        from generate_series(1, 120) g`, [G]);
    await page.getByLabel('Kind', { exact: true }).selectOption('text');
    await page.waitForURL((url) => url.searchParams.get('kind') === 'text');
    const count = 'document.querySelectorAll("[aria-label=Messages] > li").length';
    await waitForTrue(page, `${count} === 50`, 5000);
    await page.getByRole('button', { name: 'Load older' }).click();
    await waitForTrue(page, `${count} === 100`, 5000);
    await page.getByRole('button', { name: 'Load older' }).click();
    await waitForTrue(page, `${count} === 120`, 5000);
    assert.equal(await page.getByRole('button', { name: 'Load older' }).count(), 0, 'no more pages');
    const texts = await page.getByRole('list', { name: 'Messages' }).locator('li p').allTextContents();
    assert.deepEqual(texts, Array.from({ length: 120 }, (_, i) => `page note ${i + 1}`), 'newest first, none skipped or repeated');
    // A date jump: messages up to the end of 2026-03-01 (local time), newest first.
    await page.getByLabel('Jump to date').fill('2026-03-01');
    await page.waitForURL((url) => url.searchParams.get('date') === '2026-03-01');
    const endOfDay = await page.evaluate('new Date(2026, 2, 2).getTime()');
    await waitForTrue(page, `Date.parse(document.querySelector("[aria-label=Messages] > li time").getAttribute("datetime")) < ${endOfDay as number}`, 5000);
    const newest = Date.parse((await page.locator('[aria-label=Messages] > li time').first().getAttribute('datetime'))!);
    assert.ok(endOfDay as number - newest <= 6 * 3600_000, 'the first message is the last one of that day');
    await screenshots(page, 'monitor-archive-date-jump');
    watched.expectClean();
  });

  it('the worker stops cleanly', () => f.stop());
});
