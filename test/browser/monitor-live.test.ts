// Issue 14, live updates in Chromium: the monitor's pages follow the worker over SSE without a
// reload and without polling; a viewer's stream carries no QR; a dropped stream re-reads on reconnect.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { addBlocked } from '../../src/monitor/blocklists/blocklists.js';
import { launchBrowser, screenshots, skipReason, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';
import { wa } from '../helpers/fake-wa.js';
import { signIn } from '../helpers/monitor-browser.js';
import { monitorFixture, until } from '../helpers/monitor-fixture.js';
import { tapEventStream } from '../helpers/stream-tap.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every API request a page sends, except the event stream itself. */
function recordApiRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/') && url.pathname !== '/api/monitor/events') seen.push(`${request.method()} ${url.pathname}`);
  });
  return seen;
}

describe('group monitor live updates in the browser', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  const f = await monitorFixture(db);
  const G = { sales: '120363888000000001@g.us', stock: '120363888000000002@g.us', late: '120363888000000003@g.us' };
  const owner = (browser ? await watchedPage(browser, f.url) : null) as WatchedPage;
  const viewer = (browser ? await watchedPage(browser, f.url) : null) as WatchedPage;
  await owner?.context.addInitScript({ content: tapEventStream('/api/monitor/events') });
  await viewer?.context.addInitScript({ content: tapEventStream('/api/monitor/events') });
  const page = owner?.page as Page;
  const vp = viewer?.page as Page;
  page?.setDefaultTimeout(10_000);
  vp?.setDefaultTimeout(10_000);
  const requests = page ? recordApiRequests(page) : [];
  const viewerRequests = vp ? recordApiRequests(vp) : [];
  const streamOpens: string[] = [];
  page?.on('request', (request) => void (new URL(request.url()).pathname === '/api/monitor/events' && streamOpens.push(request.url())));
  const step = (name: string, fn: () => Promise<void>) => it(name, { skip: browser ? false : skipReason }, fn);
  const socket = () => f.fake.last();
  const tab = (p: Page, name: string) => p.getByRole('navigation', { name: 'Group monitor' }).getByRole('link', { name, exact: true }).click();
  /** Marks the document; still marked later means no reload happened in between. */
  const markDocument = (p: Page) => p.evaluate('window.__sameDocument = true');
  const sameDocument = async (p: Page) => assert.equal(await p.evaluate('window.__sameDocument === true'), true, 'the page was not reloaded');
  /** The API requests a page sends over `ms` of quiet, once what it was doing has settled. */
  const quietRequests = async (seen: string[], ms: number) => {
    await sleep(300);
    seen.length = 0;
    await sleep(ms);
    return [...seen];
  };
  let t = Math.floor(Date.now() / 1000) - 600;

  step('the session page goes Connecting → QR → Connected by itself, the QR dialog without polling, the viewer\'s too', async () => {
    await signIn(vp, '/monitor', f.viewer.email, 'Session');
    await vp.locator('[data-live="live"]').waitFor();
    await markDocument(vp);
    await signIn(page, '/monitor', f.owner.email, 'Session');
    await page.locator('[data-live="live"]').waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await markDocument(page);
    await page.getByRole('button', { name: 'Link a phone', exact: true }).click();
    await page.getByRole('dialog', { name: 'Link a phone' }).waitFor();
    await until('the worker connecting', async () => f.fake.sockets.length === 1);
    await vp.getByTestId('session-status').getByText('Connecting', { exact: true }).waitFor();
    socket().emit('connection.update', { qr: '2@live-qr-one,AbCdEf0123456789,XyZ=' });
    const qr = page.getByRole('img', { name: 'WhatsApp linking QR code' });
    await qr.waitFor();
    // The old dialog re-read the QR every second; now nothing is asked until the worker posts a new one.
    assert.deepEqual(await quietRequests(requests, 2500), [], 'no request while the QR dialog sits open');
    socket().emit('connection.update', { qr: '2@live-qr-two,AbCdEf0123456789,XyZ=' });
    await until('the second QR on the screen', async () => (await qr.getAttribute('data-qr')) === '2@live-qr-two,AbCdEf0123456789,XyZ=');
    socket().user = { id: '5511966665555:2@s.whatsapp.net', name: 'Live phone' };
    socket().groups = { [G.sales]: { id: G.sales, subject: 'Sales floor' }, [G.stock]: { id: G.stock, subject: 'Stock room' } };
    socket().emit('connection.update', { connection: 'open' });
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByTestId('session-status').getByText('Connected', { exact: true }).waitFor();
    await vp.getByTestId('session-status').getByText('Connected', { exact: true }).waitFor();
    await vp.getByText('+5511966665555').waitFor();
    await sameDocument(page);
    await sameDocument(vp);
    await screenshots(page, 'monitor-live-session');
    owner.expectClean();
    viewer.expectClean();
  });

  step('a viewer\'s stream carries no QR: no qr.updated, no QR text, and the page never asks for the QR', async () => {
    const ownerStream = String(await page.evaluate('window.__sse'));
    const viewerStream = String(await vp.evaluate('window.__sse'));
    assert.match(ownerStream, /event: qr\.updated/, 'the owner was told twice that the QR changed');
    assert.match(viewerStream, /event: session\.updated/, 'the viewer heard of the session changes');
    assert.doesNotMatch(viewerStream, /qr/i);
    assert.ok(!ownerStream.includes('live-qr'), 'not even the owner\'s stream carries the QR itself');
    assert.equal(viewerRequests.filter((r) => r.endsWith('/api/monitor/qr')).length, 0);
  });

  step('discovery: a group found by "Fetch groups now" appears in the open list without a reload', async () => {
    await tab(page, 'Groups');
    const list = page.getByRole('list', { name: 'Groups' });
    await list.getByText('Stock room', { exact: true }).waitFor();
    socket().groups[G.late] = { id: G.late, subject: 'Late arrivals' };
    await page.getByRole('button', { name: 'Fetch groups now', exact: true }).click();
    await list.getByText('Late arrivals', { exact: true }).waitFor();
    await sameDocument(page);
    owner.expectClean();
  });

  step('a message ingested by the worker appears on the open archive page without a reload', async () => {
    await db.pool.query('update groups set monitor = true where wa_group_id = $1', [G.sales]);
    await tab(page, 'Archive');
    await page.getByRole('heading', { name: 'Archive', exact: true }).waitFor();
    await page.getByText('Messages of monitored groups appear here as they arrive.', { exact: true }).waitFor();
    socket().emit('messages.upsert', { type: 'notify', messages: [wa.text(G.sales, '5511977770001@s.whatsapp.net', 'live on the archive', t++)] });
    await page.getByRole('list', { name: 'Messages' }).getByText('live on the archive', { exact: true }).waitFor();
    await sameDocument(page);
    owner.expectClean();
  });

  step('no polling: over a quiet interval no monitor page sends an API request (the old intervals were 0.4–5 s)', async () => {
    for (const [name, heading] of [['Session', 'Session'], ['Groups', 'Groups'], ['Archive', 'Archive'], ['Blocklists', 'Blocklists'], ['Activity', 'Activity']]) {
      await tab(page, name!);
      await page.getByRole('heading', { name: heading!, exact: true }).waitFor();
      // 6 s: longer than the slowest old poll (the groups list, every 5 s).
      assert.deepEqual(await quietRequests(requests, name === 'Groups' ? 6000 : 2500), [], `${name} page polled`);
    }
    assert.equal(streamOpens.length, 1, 'one stream for all five pages, kept open while moving between them');
    await sameDocument(page);
    owner.expectClean();
  });

  step('a blocklist entry and an activity row added elsewhere appear without a reload', async () => {
    await tab(page, 'Blocklists');
    await page.getByRole('heading', { name: 'Blocklists', exact: true }).waitFor();
    await page.getByText('No blocked keywords.', { exact: true }).waitFor();
    await addBlocked(db.pool, { userId: f.owner.id, email: f.owner.email }, 'keywords', 'Lottery', 'added by another owner');
    await page.getByRole('list', { name: 'Blocked keywords' }).getByText('lottery', { exact: true }).waitFor();
    await tab(page, 'Activity');
    await page.getByRole('list', { name: 'Activity' }).waitFor();
    await db.pool.query('insert into audit_log (kind, detail) values (\'error\', \'{"reason": "live_check_row"}\')');
    await page.getByRole('list', { name: 'Activity' }).getByText('live_check_row', { exact: true }).waitFor();
    await sameDocument(page);
    await screenshots(page, 'monitor-live-activity');
    owner.expectClean();
  });

  step('a dropped stream reconnects and re-reads what it missed while it was down', async () => {
    await tab(page, 'Archive');
    await page.getByText('live on the archive', { exact: true }).waitFor();
    // Keep the stream down while the message arrives, so its event is certainly missed.
    await page.route('**/api/monitor/events', (route) => route.abort());
    f.app.server.closeAllConnections();
    await page.locator('[data-live="connecting"]').waitFor();
    socket().emit('messages.upsert', { type: 'notify', messages: [wa.text(G.sales, '5511977770001@s.whatsapp.net', 'sent while the stream was down', t++)] });
    await until('stored', async () => (await db.pool.query('select 1 from messages where text = \'sent while the stream was down\'')).rowCount);
    await sleep(1000);
    assert.equal(await page.getByText('sent while the stream was down', { exact: true }).count(), 0, 'missed while down (the safety poll is 15 s)');
    await page.unroute('**/api/monitor/events');
    await page.locator('[data-live="live"]').waitFor();
    // Within 3 s of the reconnect: the reconnect re-read it, not the 15 s safety poll.
    await page.getByText('sent while the stream was down', { exact: true }).waitFor({ timeout: 3000 });
    await sameDocument(page);
    // The aborted and dropped stream fetches fail in the console as network errors; nothing else may.
    owner.problems.splice(0, owner.problems.length, ...owner.problems.filter((p) => !/ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION|ERR_FAILED/.test(p)));
    owner.expectClean();
  });

  it('the worker stops cleanly', () => f.stop());
});
