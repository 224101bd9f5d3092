import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshots, skipReason, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';
import { signInToInbox, waitForCount } from '../helpers/inbox-browser.js';
import { inboxFixture } from '../helpers/inbox-fixture.js';

// Seed 000 "Saved Views for Inbox" smoke tests, every step in order, as two people do them.
describe('inbox saved views in the browser (seed 000 smoke tests)', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  const f = await inboxFixture(db);
  await f.inbound('PN-A', '628111', 'Where is my payment?', 'wamid.sv1', 'Sari');
  await f.inbound('PN-A', '628222', 'payment received, thanks', 'wamid.sv2', 'Joko');
  await f.inbound('PN-B', '628333', 'Do you ship to Bali?', 'wamid.sv3', 'Made');
  await db.pool.query(`insert into wa_thread_tags (thread_id, workspace_id, tag) select id, workspace_id, 'urgent' from wa_threads where contact_wa_id in ('628111', '628333')`);
  await db.pool.query('update wa_threads set status = \'closed\' where contact_wa_id = \'628333\'');

  const a = (browser ? await watchedPage(browser, f.server.url) : null) as WatchedPage;
  const page = a?.page as Page;
  page?.setDefaultTimeout(10_000);
  // User B's own browser context, made here so it lives for the whole file.
  const bWatched = (browser ? await watchedPage(browser, f.server.url) : null) as WatchedPage;
  const step = (name: string, fn: () => Promise<void>) => it(name, { skip: browser ? false : skipReason }, fn);
  const query = () => new URL(page.url()).searchParams;
  const openViews = async () => {
    await page.getByRole('button', { name: /^Saved views/ }).click();
    await page.getByRole('menu').waitFor();
  };

  describe('Creating Saved Views', () => {
    step('1. Navigate to WhatsApp inbox at /dashboard/meta-hub/whatsapp/<workspace_id>', async () => {
      await signInToInbox(page, f.inboxUrl, f.agentA.email);
      assert.equal(new URL(page.url()).pathname, f.inboxUrl);
      await page.getByText('Live', { exact: true }).waitFor();
      await waitForCount(page, 3);
      await screenshots(page, 'inbox-all');
      a.expectClean();
    });

    step('2. Apply filters: set status to "open", select a tag, enter search query', async () => {
      await page.getByRole('tab', { name: /^Open/ }).click();
      await page.getByLabel('Tag', { exact: true }).selectOption('urgent');
      await page.getByRole('searchbox', { name: 'Search conversations' }).fill('payment');
      await page.waitForURL((url) => url.searchParams.get('q') === 'payment');
      assert.deepEqual(Object.fromEntries(query()), { status: 'open', tag: 'urgent', q: 'payment' });
      await page.getByText('Where is my payment?').waitFor();
      await waitForCount(page, 1);
      a.expectClean();
    });

    step('3. Click "Save view" button (bookmark icon)', async () => {
      await page.getByRole('button', { name: 'Save view' }).click();
      await page.getByRole('dialog', { name: 'Save view' }).waitFor();
    });

    step('4. Enter view name "Test View" → should succeed', async () => {
      await page.getByRole('dialog').getByLabel('View name').fill('Test View');
      await page.getByRole('dialog').getByRole('button', { name: 'Save view' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.getByText('Saved view “Test View”', { exact: true }).waitFor();
      const saved = await db.pool.query('select name, filters from wa_saved_views where user_id = $1', [f.agentA.id]);
      assert.deepEqual(saved.rows, [{ name: 'Test View', filters: { status: 'open', tag: 'urgent', q: 'payment' } }]);
      a.expectClean();
    });

    step('5. Try saving again with same name → should show error "View name already exists"', async () => {
      await page.getByRole('button', { name: 'Save view' }).click();
      await page.getByRole('dialog').getByLabel('View name').fill('Test View');
      await page.getByRole('dialog').getByRole('button', { name: 'Save view' }).click();
      await page.getByRole('dialog').getByText('View name already exists').waitFor();
      await screenshots(page, 'inbox-save-view-exists');
      await page.keyboard.press('Escape');
      a.expectClean(['409 POST /api/meta/whatsapp/saved-views']);
    });

    step('6. Verify view appears in saved views dropdown with correct filters', async () => {
      await openViews();
      await page.getByRole('menuitem', { name: 'Test View', exact: true }).waitFor();
      await screenshots(page, 'inbox-saved-views-menu');
      await page.keyboard.press('Escape');
    });
  });

  describe('Applying Saved Views', () => {
    step('1. Change filters manually (different status, clear search)', async () => {
      await page.getByRole('tab', { name: /^Closed/ }).click();
      await page.getByRole('searchbox', { name: 'Search conversations' }).fill('');
      await page.waitForURL((url) => !url.searchParams.has('q') && url.searchParams.get('status') === 'closed');
      await waitForCount(page, 1);
      await page.getByText('Do you ship to Bali?').waitFor();
    });

    step('2. Select saved view from dropdown', async () => {
      await openViews();
      await page.getByRole('menuitem', { name: 'Test View', exact: true }).click();
    });

    step('3. Verify all filters update to match saved configuration (status, tag, search, URL params)', async () => {
      await page.waitForURL((url) => url.searchParams.get('q') === 'payment');
      assert.equal(await page.getByRole('tab', { name: /^Open/ }).getAttribute('aria-selected'), 'true', 'Status changes');
      assert.equal(await page.getByLabel('Tag', { exact: true }).inputValue(), 'urgent', 'Tag filter updates');
      assert.equal(await page.getByRole('searchbox', { name: 'Search conversations' }).inputValue(), 'payment', 'Search input populates');
      const params = query();
      assert.deepEqual([params.get('status'), params.get('tag'), params.get('q')], ['open', 'urgent', 'payment'], 'URL params update');
      assert.match(page.url(), /\?status=open&tag=urgent&q=payment&view=/);
      await page.getByRole('button', { name: 'Saved views (current: Test View)' }).waitFor();
      await waitForCount(page, 1);
      await screenshots(page, 'inbox-view-applied');
      a.expectClean();
    });
  });

  describe('Deleting Saved Views', () => {
    step('1. Hover over saved view in dropdown', async () => {
      await openViews();
      const trash = page.getByRole('menuitem', { name: 'Delete view Test View' });
      assert.equal(await trash.evaluate((el) => (el.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(el).opacity), '0', 'the trash icon is hidden until hover');
      await page.getByRole('menuitem', { name: 'Test View', exact: true }).hover();
      assert.equal(await trash.evaluate((el) => (el.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(el).opacity), '1');
    });

    step('2. Click delete icon (trash)', async () => {
      await page.getByRole('menuitem', { name: 'Delete view Test View' }).click();
      await page.getByRole('alertdialog', { name: 'Delete saved view?' }).waitFor();
    });

    step('3. Confirm deletion → view removed from list', async () => {
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
      await page.getByText('Deleted view “Test View”', { exact: true }).waitFor();
      await openViews();
      await page.getByText('No saved views yet').waitFor();
      await page.keyboard.press('Escape');
    });

    step('4. Verify it no longer appears after page refresh', async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
      await openViews();
      await page.getByText('No saved views yet').waitFor();
      assert.equal(await page.getByRole('menuitem', { name: 'Test View', exact: true }).count(), 0);
      await page.keyboard.press('Escape');
      a.expectClean();
    });
  });

  describe('Multi-User Isolation', () => {
    const b = { watched: bWatched };
    step('1. Create view as User A: "User A\'s View"', async () => {
      await page.getByRole('button', { name: 'Save view' }).click();
      await page.getByRole('dialog').getByLabel('View name').fill('User A\'s View');
      await page.getByRole('dialog').getByRole('button', { name: 'Save view' }).click();
      await page.getByText('Saved view “User A\'s View”', { exact: true }).waitFor();
    });

    step('2. Login as User B in same workspace', async () => {
      await signInToInbox(b.watched.page, f.inboxUrl, f.agentB.email);
    });

    step('3. Verify User B cannot see "User A\'s View" in their dropdown', async () => {
      const pageB = b.watched!.page;
      await pageB.getByRole('button', { name: /^Saved views/ }).click();
      await pageB.getByText('No saved views yet').waitFor();
      assert.equal(await pageB.getByRole('menuitem', { name: 'User A\'s View', exact: true }).count(), 0);
      await pageB.keyboard.press('Escape');
    });

    step('4. User B can create their own view with same name', async () => {
      const pageB = b.watched!.page;
      await pageB.getByRole('button', { name: 'Save view' }).click();
      await pageB.getByRole('dialog').getByLabel('View name').fill('User A\'s View');
      await pageB.getByRole('dialog').getByRole('button', { name: 'Save view' }).click();
      await pageB.getByText('Saved view “User A\'s View”', { exact: true }).waitFor();
      const rowsByUser = await db.pool.query('select user_id from wa_saved_views where name = $1 order by user_id', ['User A\'s View']);
      assert.deepEqual(rowsByUser.rows.map((r) => r.user_id).sort(), [f.agentA.id, f.agentB.id].sort());
      b.watched!.expectClean();
      a.expectClean();
    });
  });
});
