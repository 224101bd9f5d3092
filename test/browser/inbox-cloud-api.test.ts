// Issue 17 in Chromium: the customer service window banner, the template picker that replaces the
// reply box once the window is closed (parameters, preview, the send at the fake Graph), a
// customer's reaction shown on its message, and the ops pricing screen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshots, skipReason, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';
import { eventually, signInToInbox } from '../helpers/inbox-browser.js';
import { inboxFixture } from '../helpers/inbox-fixture.js';
import { webServer } from '../helpers/web-server.js';

describe('the inbox and the Cloud API window, templates and reactions', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  const f = await inboxFixture(db);
  await db.pool.query('update wa_phone_numbers set waba_id = \'777001\' where id = $1', [f.connA]);
  await db.pool.query(
    `insert into wa_message_templates (workspace_id, waba_id, name, language, category, status, components) values
       ($1, '777001', 'order_update', 'en_US', 'UTILITY', 'APPROVED', $2), ($1, '777001', 'paused_one', 'en_US', 'MARKETING', 'PAUSED', '[]')`,
    [f.ws, JSON.stringify([{ type: 'BODY', text: 'Hi {{1}}, order {{2}} is on its way.' }])],
  );
  await f.inbound('PN-A', '628401', 'Halo, pesanan saya?', 'wamid.cw1', 'Rina');
  const w = (browser ? await watchedPage(browser, f.server.url) : null) as WatchedPage;
  const page = w?.page as Page;
  page?.setDefaultTimeout(10_000);
  const step = (name: string, fn: () => Promise<void>) => it(name, { skip: browser ? false : skipReason }, fn);
  const threadId = async () => (await db.pool.query('select id from wa_threads where contact_wa_id = \'628401\'')).rows[0].id as string;
  const banner = () => page.getByRole('status').filter({ hasText: /customer service window|has not written/i });

  step('an open window: the banner says when it closes and the reply box is free text', async () => {
    await signInToInbox(page, f.inboxUrl, f.agentA.email);
    await page.goto(`${f.inboxUrl}?thread=${await threadId()}`);
    await banner().getByText(/closes in 23 h/).waitFor();
    assert.equal(await page.getByLabel('Reply', { exact: true }).count(), 1);
    await screenshots(page, 'inbox-window-open');
    w.expectClean();
  });

  step('a customer\'s reaction shows on its message, not as a message of its own', async () => {
    await f.webhook({
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550000000', phone_number_id: 'PN-A' },
        contacts: [{ profile: { name: 'Rina' }, wa_id: '628401' }],
        messages: [{ from: '628401', id: 'wamid.cw-react', timestamp: String(Math.floor(Date.now() / 1000)), type: 'reaction', reaction: { message_id: 'wamid.cw1', emoji: '👍' } }],
      },
    });
    const message = page.locator('[data-message-id]').filter({ hasText: 'Halo, pesanan saya?' });
    await message.getByRole('list', { name: 'Reactions' }).getByText('Customer reacted 👍').waitFor();
    assert.equal(await page.locator('[data-message-id]').count(), 1, 'the reaction is not a message');
    await screenshots(page, 'inbox-reaction');
    w.expectClean();
  });

  step('an agent quote-replies: the reply box shows the quote, the send carries context.message_id, the message shows it', async () => {
    const message = page.locator('[data-message-id]').filter({ hasText: 'Halo, pesanan saya?' });
    await message.getByRole('button', { name: 'Reply to this message' }).click();
    await page.getByText('Replying to: Halo, pesanan saya?').waitFor();
    await page.getByLabel('Reply', { exact: true }).fill('Sudah dikirim kemarin');
    await page.getByLabel('Reply', { exact: true }).press('Enter');
    await eventually(() => f.graph.requests.some((r) => (r.body.text as { body?: string } | undefined)?.body === 'Sudah dikirim kemarin'), 'the reply at the fake Graph');
    const sent = f.graph.requests.find((r) => (r.body.text as { body?: string } | undefined)?.body === 'Sudah dikirim kemarin')!;
    assert.deepEqual(sent.body.context, { message_id: 'wamid.cw1' });
    const reply = page.locator('[data-message-id][data-direction="out"]').filter({ hasText: 'Sudah dikirim kemarin' });
    await reply.locator('blockquote').getByText('Halo, pesanan saya?').waitFor();
    assert.equal(await page.getByText(/^Replying to:/).count(), 0, 'the quote is cleared after sending');
    w.expectClean();
  });

  step('a closed window: the banner says so and only an approved template can be sent, with its parameters and a preview', async () => {
    await db.pool.query('update wa_threads set last_inbound_at = now() - interval \'25 hours\', customer_window_expires_at = now() - interval \'1 hour\' where contact_wa_id = \'628401\'');
    await banner().getByText(/window is closed/).waitFor();
    assert.equal(await page.getByLabel('Reply', { exact: true }).count(), 0, 'no free-text box');
    const picker = page.getByRole('form', { name: 'Send a template' });
    const options = await picker.getByLabel('Template').locator('option').allInnerTexts();
    assert.deepEqual(options.slice(1), ['order_update (en_US, utility)'], 'approved templates only');
    await picker.getByLabel('Template').selectOption({ label: 'order_update (en_US, utility)' });
    await picker.getByLabel('Body {{1}}').fill('Rina');
    await picker.getByTestId('template-preview').getByText('Hi Rina, order {{2}} is on its way.').waitFor();
    assert.equal(await picker.getByRole('button', { name: 'Send template' }).isDisabled(), true, 'every parameter first');
    await picker.getByLabel('Body {{2}}').fill('A-17');
    await screenshots(page, 'inbox-template-picker');
    await picker.getByRole('button', { name: 'Send template' }).click();
    await eventually(() => f.graph.requests.some((r) => r.body.type === 'template'), 'the template at the fake Graph');
    const sent = f.graph.requests.find((r) => r.body.type === 'template')!;
    assert.deepEqual(sent.body.template, { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Rina' }, { type: 'text', text: 'A-17' }] }] });
    await page.locator('[data-message-id][data-direction="out"]').getByText('Hi Rina, order A-17 is on its way.').waitFor();
    w.expectClean();
  });

  step('the ops pricing screen counts priced messages per category, workspace and day', async () => {
    await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2) on conflict do nothing', [f.agentA.id, f.agentA.email]);
    await db.pool.query('update wa_messages set pricing = \'{"category": "utility", "type": "regular", "billable": true, "pricing_model": "PMP"}\' where type = \'template\'');
    const ops = await webServer(db, { OPS_ADMIN_EMAILS: f.agentA.email });
    const admin = await watchedPage(browser!, ops.url);
    admin.page.setDefaultTimeout(10_000);
    await signInToInbox(admin.page, f.inboxUrl, f.agentA.email);
    await admin.page.goto('/ops/platform-admin');
    await admin.page.getByRole('link', { name: 'Conversation pricing per day' }).click();
    await admin.page.getByRole('heading', { name: 'Conversation pricing' }).waitFor();
    const row = admin.page.getByRole('table', { name: /pricing category/ }).getByRole('row').filter({ hasText: 'toko-maju' });
    await row.waitFor();
    assert.match(await row.innerText(), /utility\s+regular\s+1\s+1/);
    await screenshots(admin.page, 'ops-pricing');
    admin.expectClean();
  });
});
