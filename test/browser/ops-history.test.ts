import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshots, skipReason, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';
import { one } from '../helpers/sql.js';
import { passwordUser, webServer } from '../helpers/web-server.js';

// The workspace detail shows the newest 50 ledger and audit entries; "Load more" reads older pages.
describe('ops console: paged ledger and audit in the browser', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  const ADMIN = { email: 'admin@history.example', password: 'correct horse battery' };
  await passwordUser(db, ADMIN.email, ADMIN.password, { admin: true });
  const server = await webServer(db, { OPS_ADMIN_EMAILS: ADMIN.email });
  const ws = (await one<{ id: string }>(db.pool, 'insert into workspaces (slug, name) values (\'long-history\', \'Long History\') returning id')).id;
  // 120 entries, the oldest 60 in one second; balance_after counts up so each row's text is its own.
  await db.pool.query(`insert into workspace_token_ledger (workspace_id, delta, reason, balance_after, created_at)
    select $1, 1, 'seeded grant ' || i, i, timestamptz '2026-12-01 10:00:00+00' + greatest(i - 60, 0) * interval '1 s'
    from generate_series(1, 120) i`, [ws]);
  await db.pool.query('insert into workspace_token_balance (workspace_id, balance) values ($1, 120)', [ws]);
  await db.pool.query(`insert into owner_audit_log (action, workspace_id, meta, created_at)
    select 'owner.tokens.granted', $1, jsonb_build_object('amount', 1, 'reason', 'seeded audit ' || i), timestamptz '2026-12-01 10:00:00+00' + i * interval '1 s'
    from generate_series(1, 60) i`, [ws]);

  const watched = (browser ? await watchedPage(browser, server.url) : null) as WatchedPage;
  const page = watched?.page as Page;
  const step = (name: string, fn: () => Promise<void>) => it(name, { skip: browser ? false : skipReason }, fn);
  const ledger = () => page.getByRole('region', { name: 'Token ledger' });
  const audit = () => page.getByRole('region', { name: 'Audit log' });
  const ledgerReasons = async () => (await ledger().locator('tbody tr td:nth-child(4)').allTextContents()).map((text) => text.trim());
  /** The ledger's reasons as the API orders them (newest first; rows of one second by id). */
  const inOrder = async () =>
    (await db.pool.query<{ reason: string }>('select reason from workspace_token_ledger where workspace_id = $1 order by created_at desc, id desc', [ws])).rows.map((r) => r.reason);
  const seeded = await inOrder();

  step('signed in as a platform admin, the detail shows the newest 50 ledger entries and a Load more button', async () => {
    await page.goto(`/ops/workspaces/${ws}`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Long History', level: 1 }).waitFor();
    assert.deepEqual(await ledgerReasons(), seeded.slice(0, 50));
    await ledger().getByRole('button', { name: 'Load more ledger entries' }).waitFor();
    watched.expectClean();
  });

  step('Load more appends the next 50, then the last 20 (of one second too), each once; then the button is gone', async () => {
    await ledger().getByRole('button', { name: 'Load more ledger entries' }).click();
    await ledger().getByText(seeded[99]!, { exact: true }).waitFor();
    assert.deepEqual(await ledgerReasons(), seeded.slice(0, 100));
    await ledger().getByRole('button', { name: 'Load more ledger entries' }).click();
    await ledger().getByText(seeded[119]!, { exact: true }).waitFor();
    await ledger().getByRole('button', { name: /^Load more/ }).waitFor({ state: 'detached' });
    assert.deepEqual(await ledgerReasons(), seeded);
    await screenshots(page, 'workspace-detail-history');
    watched.expectClean();
  });

  step('the audit log pages the same way: 50, then the 10 older', async () => {
    assert.equal(await audit().getByRole('listitem').count(), 50);
    await audit().getByRole('button', { name: 'Load more audit entries' }).click();
    await audit().getByText(/“seeded audit 1”/).waitFor();
    assert.equal(await audit().getByRole('listitem').count(), 60);
    await audit().getByRole('button', { name: /^Load more/ }).waitFor({ state: 'detached' });
    watched.expectClean();
  });

  step('a grant while older pages are shown adds its row on top; no entry is shown twice or lost', async () => {
    await page.getByRole('button', { name: 'Grant tokens' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Amount').fill('5');
    await dialog.getByLabel('Reason', { exact: true }).fill('fresh grant');
    await dialog.getByRole('button', { name: 'Confirm grant' }).click();
    await dialog.waitFor({ state: 'detached' });
    await ledger().getByText('fresh grant', { exact: true }).waitFor();
    // The detail's cursor moved by one row, so the older pages start again after it: one page is kept.
    const now = await inOrder();
    assert.deepEqual(now, ['fresh grant', ...seeded]);
    await ledger().getByText(now[99]!, { exact: true }).waitFor();
    assert.deepEqual(await ledgerReasons(), now.slice(0, 100));
    await ledger().getByRole('button', { name: 'Load more ledger entries' }).click();
    await ledger().getByText(now[120]!, { exact: true }).waitFor();
    assert.deepEqual(await ledgerReasons(), now);
    watched.expectClean();
  });
});
