import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshots, skipReason, waitForTrue, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';
import { one } from '../helpers/sql.js';
import { passwordUser, webServer } from '../helpers/web-server.js';

// Seed 000's four ops smoke tests, in order, as a person does them in the browser.
describe('ops console in the browser (seed 000 smoke tests)', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  const ADMIN = { email: 'admin@ops.example', password: 'correct horse battery' };
  await passwordUser(db, ADMIN.email, ADMIN.password, { admin: true });
  const server = await webServer(db, { OPS_ADMIN_EMAILS: ADMIN.email });
  const ws = (await one<{ id: string }>(db.pool, 'insert into workspaces (slug, name) values (\'coba-gigaviz\', \'Coba Gigaviz\') returning id')).id;
  await db.pool.query('insert into workspaces (slug, name) values (\'toko-maju\', \'Toko Maju\')');

  // One page for the whole walk-through, as one person clicking through the seed's steps.
  const watched = (browser ? await watchedPage(browser, server.url) : null) as WatchedPage;
  /** A step of the walk-through; each is reported skipped, with the reason, when there is no browser. */
  const step = (name: string, fn: () => Promise<void>) => it(name, { skip: browser ? false : skipReason }, fn);
  const page = watched?.page as Page;

  const balance = async () => (await one<{ b: string }>(db.pool, 'select coalesce((select balance from workspace_token_balance where workspace_id = $1), 0)::text as b', [ws])).b;
  const entitlement = (key: string) =>
    db.pool.query<{ enabled: boolean; payload: unknown; reason: string | null }>('select enabled, payload, reason from workspace_entitlements where workspace_id = $1 and key = $2', [ws, key]).then((r) => r.rows[0]);
  const row = (key: string) => page.locator(`tr[data-key="${key}"]`);
  const dialog = () => page.getByRole('dialog');
  const expectNoProblems = (expectedHttpErrors: string[] = []) => watched.expectClean(expectedHttpErrors);
  const shownBalance = () => page.getByTestId('balance').textContent();

  async function changeTokens(button: 'Grant tokens' | 'Deduct tokens', amount: string, reason: string, referenceId = '') {
    await page.getByRole('button', { name: button }).click();
    await dialog().getByLabel('Amount').fill(amount);
    await dialog().getByLabel('Reason', { exact: true }).fill(reason);
    if (referenceId) await dialog().getByLabel('Reference ID (optional)').fill(referenceId);
    await dialog().getByRole('button', { name: button === 'Grant tokens' ? 'Confirm grant' : 'Confirm deduct' }).click();
  }

  describe('Ops Console Workspace Detail', () => {
    step('1. Login as a platform admin (email allowlisted + platform_admins)', async () => {
      await page.goto('/ops/platform-admin');
      await page.waitForURL(/\/sign-in\?redirect=/);
      await screenshots(page, 'sign-in');
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/ops\/platform-admin$/);
      expectNoProblems();
    });

    step('2. Navigate to /ops/platform-admin → Workspaces list', async () => {
      await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
      await page.getByRole('link', { name: 'Details of Coba Gigaviz' }).waitFor();
      assert.equal(await page.getByRole('link', { name: /^Details of / }).count(), 2);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ops console' }).waitFor();
      await screenshots(page, 'workspaces');
      // Search is in the URL and narrows the list.
      await page.getByLabel('Search workspaces by name or slug').fill('toko');
      await page.waitForURL(/\?q=toko$/);
      await page.getByRole('link', { name: 'Details of Toko Maju' }).waitFor();
      await page.getByRole('link', { name: 'Details of Coba Gigaviz' }).waitFor({ state: 'detached' });
      await page.getByLabel('Search workspaces by name or slug').fill('');
      await page.getByRole('link', { name: 'Details of Coba Gigaviz' }).waitFor();
      expectNoProblems();
    });

    step('3-4. Click Details on a workspace row → /ops/workspaces/<workspace_id> loads without 404', async () => {
      await page.getByRole('link', { name: 'Details of Coba Gigaviz' }).click();
      await page.waitForURL(`**/ops/workspaces/${ws}`);
      await page.getByRole('heading', { name: 'Coba Gigaviz', level: 1 }).waitFor();
      assert.equal(await shownBalance(), '0');
      await page.getByRole('heading', { name: 'Entitlements' }).waitFor();
      await screenshots(page, 'workspace-detail');
      // A deep link (a reload) lands on the same page.
      await page.reload();
      await page.getByRole('heading', { name: 'Coba Gigaviz', level: 1 }).waitFor();
      expectNoProblems();
    });

    step('5. For a non-existent UUID, a friendly "Workspace not found" message instead of 404', async () => {
      const unknown = [randomUUID(), 'not-a-uuid'];
      for (const id of unknown) {
        await page.goto(`/ops/workspaces/${id}`);
        await page.getByRole('heading', { name: 'Workspace not found' }).waitFor();
        assert.equal(await page.getByText('Page not found').count(), 0);
      }
      await screenshots(page, 'workspace-not-found');
      await page.getByRole('link', { name: 'Back to workspaces' }).click();
      await page.waitForURL(/\/ops\/platform-admin$/);
      expectNoProblems(unknown.map((id) => `404 GET /api/ops/workspaces/${id}`));
    });
  });

  describe('Ops Console Token Actions', () => {
    step('1-4. Grant tokens: amount 100, reason "Test grant", Reference ID empty → Confirm grant succeeds, balance increases, no "Invalid input"', async () => {
      await page.goto(`/ops/workspaces/${ws}`);
      await page.getByRole('button', { name: 'Grant tokens' }).click();
      await dialog().getByRole('heading', { name: 'Grant tokens' }).waitFor();
      await screenshots(page, 'grant-dialog');
      // The dialog holds focus (Amount first, Tab stays inside) and Escape gives it back to its button.
      assert.equal(await page.evaluate('document.activeElement.closest("[role=dialog]") !== null && document.activeElement.tagName'), 'INPUT');
      for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement.closest("[role=dialog]") !== null'), true);
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      await waitForTrue(page, 'document.activeElement?.textContent === "Grant tokens"');
      await changeTokens('Grant tokens', '100', 'Test grant');
      await dialog().waitFor({ state: 'detached' });
      await page.getByTestId('balance').filter({ hasText: /^100$/ }).waitFor();
      assert.equal(await page.getByText('Invalid input').count(), 0);
      assert.equal(await balance(), '100');
      expectNoProblems();
    });

    step('5. Repeat with Reference ID "test-ref-123" → also succeeds; the same reference again says "Already applied"', async () => {
      await changeTokens('Grant tokens', '100', 'Test grant', 'test-ref-123');
      await page.getByTestId('balance').filter({ hasText: /^200$/ }).waitFor();
      assert.equal(await balance(), '200');
      await changeTokens('Grant tokens', '100', 'Test grant', 'test-ref-123');
      await page.getByText('Already applied', { exact: true }).waitFor();
      assert.equal(await shownBalance(), '200');
      assert.equal(await balance(), '200');
      expectNoProblems();
    });

    step('6. Deduct tokens with amount and reason, Reference ID empty → succeeds; more than the balance shows the 409 message', async () => {
      await changeTokens('Deduct tokens', '30', 'Test deduct');
      await page.getByTestId('balance').filter({ hasText: /^170$/ }).waitFor();
      assert.equal(await balance(), '170');
      await changeTokens('Deduct tokens', '1000', 'Too much');
      await dialog().getByRole('alert').filter({ hasText: 'larger than the balance' }).waitFor();
      await page.keyboard.press('Escape');
      assert.equal(await balance(), '170');
      // The ledger on the page updated without a reload.
      await page.getByRole('region', { name: 'Token ledger' }).getByText('Test deduct').waitFor();
      expectNoProblems([`409 POST /api/ops/workspaces/${ws}/tokens/deduct`]);
    });
  });

  describe('Ops Console Entitlement Actions', () => {
    step('2-3. A disabled entitlement ("Core OS") → Enable succeeds with payload stored as {}', async () => {
      await row('core_os').getByText('Disabled').waitFor();
      await row('core_os').getByRole('button', { name: 'Enable core_os' }).click();
      await dialog().getByRole('button', { name: 'Confirm enable' }).click();
      await row('core_os').getByText('Enabled', { exact: true }).waitFor();
      assert.deepEqual(await entitlement('core_os'), { enabled: true, payload: {}, reason: null });
      expectNoProblems();
    });

    step('4. Payload: {"tier":"beta"} saved; the editor refuses a non-object and bad JSON as you type', async () => {
      await row('core_os').getByRole('button', { name: 'Payload of core_os' }).click();
      const editor = dialog().getByLabel('Payload (JSON object)');
      await editor.fill('[1, 2]');
      await dialog().getByText('payload must be a JSON object').waitFor();
      assert.equal(await dialog().getByRole('button', { name: 'Save payload' }).isDisabled(), true);
      await editor.fill('{"tier": ');
      await dialog().getByText(/^Not valid JSON/).waitFor();
      await editor.fill('{"tier":"beta"}');
      await screenshots(page, 'payload-dialog');
      await dialog().getByRole('button', { name: 'Save payload' }).click();
      await row('core_os').getByText('{"tier":"beta"}').waitFor();
      assert.deepEqual((await entitlement('core_os'))?.payload, { tier: 'beta' });
      expectNoProblems();
    });

    step('5. Disable with the reason empty → succeeds', async () => {
      await row('core_os').getByRole('button', { name: 'Disable core_os' }).click();
      await dialog().getByRole('button', { name: 'Confirm disable' }).click();
      await row('core_os').getByText('Disabled').waitFor();
      assert.deepEqual(await entitlement('core_os'), { enabled: false, payload: { tier: 'beta' }, reason: null });
      expectNoProblems();
    });

    step('6. Disable again with a reason filled → also succeeds', async () => {
      await row('core_os').getByRole('button', { name: 'Disable core_os' }).click();
      await dialog().getByLabel('Reason (optional)').fill('Paused for review');
      await dialog().getByRole('button', { name: 'Confirm disable' }).click();
      await row('core_os').getByText('Paused for review').waitFor();
      assert.equal((await entitlement('core_os'))?.reason, 'Paused for review');
      expectNoProblems();
    });
  });

  describe('Entitlement Payload v1 (Ops)', () => {
    step('2. Enable core_os with an empty payload editor → succeeds and the payload becomes {}', async () => {
      await page.goto(`/ops/workspaces/${ws}`);
      await row('core_os').getByRole('button', { name: 'Enable core_os' }).click();
      assert.equal(await dialog().getByLabel('Payload (optional JSON object)').inputValue(), '');
      await dialog().getByRole('button', { name: 'Confirm enable' }).click();
      await row('core_os').getByText('Enabled', { exact: true }).waitFor();
      assert.deepEqual(await entitlement('core_os'), { enabled: true, payload: {}, reason: null });
    });

    step('3. Edit the payload to {"plan":"pro"} → it persists after a reload', async () => {
      await row('core_os').getByRole('button', { name: 'Payload of core_os' }).click();
      await dialog().getByLabel('Payload (JSON object)').fill('{"plan":"pro"}');
      await dialog().getByRole('button', { name: 'Save payload' }).click();
      await row('core_os').getByText('{"plan":"pro"}').waitFor();
      await page.reload();
      await row('core_os').getByText('{"plan":"pro"}').waitFor();
      assert.deepEqual((await entitlement('core_os'))?.payload, { plan: 'pro' });
    });

    step('4. Grant tokens 50000 with reason "For Meta Review" → the balance updates and a ledger entry is created', async () => {
      await changeTokens('Grant tokens', '50000', 'For Meta Review');
      await page.getByTestId('balance').filter({ hasText: /^50,170$/ }).waitFor();
      await page.getByRole('region', { name: 'Token ledger' }).getByText('For Meta Review').waitFor();
      const ledger = await one<{ delta: string; reason: string }>(db.pool, 'select delta::text, reason from workspace_token_ledger where workspace_id = $1 order by created_at desc limit 1', [ws]);
      assert.deepEqual(ledger, { delta: '50000', reason: 'For Meta Review' });
    });

    step('5. The audit log shows owner.entitlement.enabled and owner.tokens.granted', async () => {
      const audit = page.getByRole('region', { name: 'Audit log' });
      await audit.getByText('owner.entitlement.enabled').first().waitFor();
      await audit.getByText('owner.tokens.granted').first().waitFor();
      const actions = (await db.pool.query<{ action: string }>('select distinct action from owner_audit_log where workspace_id = $1', [ws])).rows.map((r) => r.action).sort();
      assert.deepEqual(actions, ['owner.entitlement.disabled', 'owner.entitlement.enabled', 'owner.entitlement.payload_updated', 'owner.tokens.deducted', 'owner.tokens.granted']);
      await screenshots(page, 'workspace-detail-after');
      expectNoProblems();
    });
  });
});
