// Issue 13, "Connecting WhatsApp numbers" and the seed 000 multi-connection checklist, done by
// clicking: the numbers page, a manual number, Test connection, deactivate → connection_inactive,
// replies on each number's own token, and Connect with Facebook against Meta's SDK faked in the
// browser and the fake Graph on loopback.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { decryptSecret } from '../../src/hub/crypto.js';
import { launchBrowser, screenshots, skipReason, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeFacebook } from '../helpers/fake-facebook.js';
import { GRAPH_STEPS } from '../helpers/fake-graph.js';
import { eventually, signInToInbox } from '../helpers/inbox-browser.js';
import { inboxFixture, SIGNUP_APP } from '../helpers/inbox-fixture.js';

describe('WhatsApp numbers and Connect with Facebook in the browser', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  const f = await inboxFixture(db);
  const owner = (browser ? await watchedPage(browser, f.server.url) : null) as WatchedPage;
  const agent = (browser ? await watchedPage(browser, f.server.url) : null) as WatchedPage;
  const facebook = browser ? await fakeFacebook(owner.context) : null;
  const agentFacebook = browser ? await fakeFacebook(agent.context) : null;
  const page = owner?.page as Page;
  page?.setDefaultTimeout(10_000);
  const step = (name: string, fn: () => Promise<void>) => it(name, { skip: browser ? false : skipReason }, fn);
  const numbersUrl = `${f.inboxUrl}/connections`;
  const card = (p: Page, name: string) => p.getByRole('listitem', { name: `Number ${name}`, exact: true });
  // Messages sent, not the read receipts opening a conversation sends on the same path (issue 17).
  const sends = (pnid: string) => f.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${pnid}/messages`) && r.body.status !== 'read');

  /** Opens a thread by its contact and sends `text` with Enter. */
  const reply = async (contact: string, text: string) => {
    await page.goto(f.inboxUrl);
    await page.getByRole('link', { name: new RegExp(contact) }).click();
    const box = page.getByLabel('Reply', { exact: true });
    await box.fill(text);
    await box.press('Enter');
  };

  step('the inbox picker lists the person\'s workspaces and opens one', async () => {
    await signInToInbox(page, f.inboxUrl, f.agentA.email);
    await page.getByRole('link', { name: 'Inbox', exact: true }).click();
    await page.getByRole('heading', { name: 'Inboxes' }).waitFor();
    await page.getByRole('link', { name: /Toko Maju inbox/ }).waitFor();
    assert.equal(await page.getByRole('link', { name: /Lain inbox/ }).count(), 0, 'not another workspace\'s inbox');
    await screenshots(page, 'inbox-picker');
    await page.getByRole('link', { name: /Toko Maju inbox/ }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    owner.expectClean();
  });

  step('the numbers page lists the workspace\'s numbers, and no other workspace\'s', async () => {
    await page.getByRole('link', { name: 'Numbers' }).click();
    await page.getByRole('heading', { name: 'WhatsApp numbers' }).waitFor();
    assert.equal(new URL(page.url()).pathname, numbersUrl);
    await card(page, '+62 811 0001').waitFor();
    await card(page, '+62 811 0002').waitFor();
    assert.equal(await page.getByRole('listitem').filter({ hasText: 'PN-OTHER' }).count(), 0);
    assert.match(await card(page, '+62 811 0001').innerText(), /Number PN-A[\s\S]*Phone number ID\s*PN-A[\s\S]*Last webhook\s*None yet/);
    await page.getByRole('button', { name: 'Connect with Facebook' }).waitFor();
    await screenshots(page, 'numbers-page');
    owner.expectClean();
  });

  const manual = { phoneNumberId: '109876543210', wabaId: '209876543210', token: 'EAAG-manual-token-never-shown-0123456789' };

  step('add a number by hand: field errors name the field, the token is stored encrypted and never shown again', async () => {
    await page.getByRole('button', { name: 'Add number' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a number' });
    await dialog.getByRole('button', { name: 'Add number' }).click();
    await dialog.getByText('Enter the phone number ID from Meta: 5 to 32 digits').waitFor();
    await dialog.getByText('Paste the access token (at least 10 characters, no spaces)').waitFor();
    assert.equal(await dialog.getByLabel('Phone number ID').getAttribute('aria-invalid'), 'true');
    await dialog.getByLabel('Phone number ID').fill(manual.phoneNumberId);
    await dialog.getByLabel('WhatsApp Business Account ID').fill(manual.wabaId);
    await dialog.getByLabel('Access token').fill(manual.token);
    assert.equal(await dialog.getByLabel('Access token').getAttribute('type'), 'password');
    await dialog.getByLabel('Phone number (optional)').fill('+62 822 5555');
    await dialog.getByRole('button', { name: 'Add number' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card(page, '+62 822 5555').waitFor();
    const row = (await db.pool.query('select waba_id, access_token_enc from wa_phone_numbers where phone_number_id = $1', [manual.phoneNumberId])).rows[0];
    assert.equal(row.waba_id, manual.wabaId);
    assert.notEqual(row.access_token_enc, manual.token);
    assert.equal(decryptSecret(f.key, row.access_token_enc), manual.token);
    await page.reload();
    await card(page, '+62 822 5555').waitFor();
    assert.ok(!(await page.content()).includes(manual.token), 'the token is never on the page again');
    owner.expectClean();
  });

  step('test connection reads the number from Graph with its stored token, and shows Meta\'s refusal with what to do', async () => {
    await card(page, '+62 822 5555').getByRole('button', { name: 'Test connection' }).click();
    await card(page, '+62 822 5555').getByText('Meta answered: the token works for this number.').waitFor();
    assert.match(await card(page, '+62 822 5555').innerText(), /Verified name\s*Toko 3210/);
    const details = f.graph.calls(GRAPH_STEPS.details).at(-1);
    assert.equal(details?.authorization, `Bearer ${manual.token}`);
    assert.match(details?.path ?? '', new RegExp(`/${manual.phoneNumberId}\\?fields=`));

    f.graph.replyTo(GRAPH_STEPS.details, f.graph.error(401, 190, 'Error validating access token: Session has expired'));
    await card(page, '+62 822 5555').getByRole('button', { name: 'Test connection' }).click();
    await card(page, '+62 822 5555').getByText('Meta refused: Error validating access token: Session has expired (code 190)').waitFor();
    await card(page, '+62 822 5555').getByText(/replace the token/).waitFor();
    owner.expectClean();
  });

  step('multi-connection: inbound to A makes a thread on A; the reply goes out on A\'s number with A\'s token', async () => {
    await f.inbound('PN-A', '628100', 'Halo dari A', 'wamid.mc-a', 'Pelanggan A');
    await reply('Pelanggan A', 'Balasan lewat A');
    await eventually(() => sends('PN-A').length === 1, 'a send on PN-A');
    const sent = sends('PN-A')[0]!;
    assert.equal(sent.authorization, 'Bearer token-PN-A');
    assert.deepEqual([sent.body.to, (sent.body.text as { body: string }).body], ['628100', 'Balasan lewat A']);
    assert.equal(sends('PN-B').length, 0);
    const thread = (await db.pool.query('select connection_id from wa_threads where contact_wa_id = \'628100\'')).rows[0];
    assert.equal(thread.connection_id, f.connA);
    await page.getByRole('list', { name: 'Conversations' }).getByText('+62 811 0001').first().waitFor();
    owner.expectClean();
  });

  step('multi-connection: the same for B, on B\'s number and token', async () => {
    await f.inbound('PN-B', '628200', 'Halo dari B', 'wamid.mc-b', 'Pelanggan B');
    await reply('Pelanggan B', 'Balasan lewat B');
    await eventually(() => sends('PN-B').length === 1, 'a send on PN-B');
    assert.equal(sends('PN-B')[0]!.authorization, 'Bearer token-PN-B');
    assert.equal(sends('PN-A').length, 1, 'nothing more went out on A');
    const row = page.getByRole('listitem').filter({ hasText: 'Pelanggan B' });
    await row.getByText('+62 811 0002').waitFor();
    owner.expectClean();
  });

  step('multi-connection: deactivate A → replying on A shows connection_inactive and keeps the typed text', async () => {
    await page.goto(numbersUrl);
    await card(page, '+62 811 0001').getByRole('button', { name: 'Deactivate' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Deactivate +62 811 0001?' });
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await card(page, '+62 811 0001').getByText('Inactive', { exact: true }).waitFor();
    assert.equal((await db.pool.query('select status from wa_phone_numbers where id = $1', [f.connA])).rows[0].status, 'inactive');

    await reply('Pelanggan A', 'Masih di sini?');
    await page.getByRole('alert').filter({ hasText: 'This conversation\'s WhatsApp number is deactivated.' }).waitFor();
    assert.equal(await page.getByLabel('Reply', { exact: true }).inputValue(), 'Masih di sini?');
    assert.equal(sends('PN-A').length, 1);
    await screenshots(page, 'inbox-connection-inactive');
    owner.expectClean(['409 POST /api/meta/whatsapp/send-text']);

    await page.goto(numbersUrl);
    await card(page, '+62 811 0001').getByRole('button', { name: 'Activate' }).click();
    await card(page, '+62 811 0001').getByText('Active', { exact: true }).waitFor();
    await reply('Pelanggan A', 'Sudah aktif lagi');
    await eventually(() => sends('PN-A').length === 2, 'the send after activating');
    owner.expectClean();
  });

  step('an agent sees the numbers but cannot add, change or connect them', async () => {
    await signInToInbox(agent.page, f.inboxUrl, f.agentB.email);
    await agent.page.goto(numbersUrl);
    await card(agent.page, '+62 811 0001').waitFor();
    await agent.page.getByText('Only the workspace\'s owners and admins can add or change numbers.').waitFor();
    for (const name of ['Add number', 'Connect with Facebook', 'Deactivate', 'Test connection', 'Replace token']) {
      assert.equal(await agent.page.getByRole('button', { name }).count(), 0, `${name} is not offered`);
    }
    assert.equal(agentFacebook!.sdkLoads, 0, 'the agent\'s pages never load Meta\'s SDK');
    assert.ok(facebook!.sdkLoads > 0, 'the owner\'s numbers page did');
    agent.expectClean();
  });

  const signedUp = { wabaId: '310000000001', phoneNumberId: '106540000001' };

  step('Connect with Facebook: FB.login with the configuration id, the session info from Meta\'s window, the server\'s steps', async () => {
    await page.goto(numbersUrl);
    facebook!.next(signedUp);
    await page.getByRole('button', { name: 'Connect with Facebook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect with Facebook' });
    await dialog.getByRole('button', { name: 'Continue with Facebook' }).click();
    await dialog.getByText('Enter 6 digits').waitFor();
    await dialog.getByLabel('Two-step verification PIN').fill('246810');
    await screenshots(page, 'numbers-connect-facebook');
    // A message from anything but facebook.com must not pick the number.
    const forged = JSON.stringify({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: { phone_number_id: '99999999', waba_id: '88888888' } });
    await page.evaluate(`window.postMessage(${JSON.stringify(forged)}, '*')`);
    await dialog.getByRole('button', { name: 'Continue with Facebook' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Connected +62 812-0001', { exact: true }).waitFor();
    await card(page, '+62 812-0001').waitFor();

    const sdk = await page.evaluate('window.__fakeFacebook');
    assert.deepEqual(sdk, {
      init: { appId: SIGNUP_APP.appId, version: 'v21.0', autoLogAppEvents: true, xfbml: false },
      logins: [{ config_id: SIGNUP_APP.configId, response_type: 'code', override_default_response_type: true, extras: { setup: {}, sessionInfoVersion: '3' } }],
    });
    assert.equal(f.graph.calls(GRAPH_STEPS.exchange).length, 1);
    assert.match(f.graph.calls(GRAPH_STEPS.exchange)[0]!.path, new RegExp(`client_id=${SIGNUP_APP.appId}&`));
    assert.equal(f.graph.calls(GRAPH_STEPS.subscribe).filter((r) => r.path.includes(signedUp.wabaId)).length, 1);
    const register = f.graph.calls(GRAPH_STEPS.register).filter((r) => r.path.includes(signedUp.phoneNumberId));
    assert.deepEqual(register.map((r) => r.body), [{ messaging_product: 'whatsapp', pin: '246810' }]);
    const stored = (await db.pool.query('select workspace_id, waba_id, status, access_token_enc from wa_phone_numbers where phone_number_id = $1', [signedUp.phoneNumberId])).rows;
    assert.equal(stored.length, 1);
    assert.deepEqual([stored[0].workspace_id, stored[0].waba_id, stored[0].status], [f.ws, signedUp.wabaId, 'active']);
    assert.match(decryptSecret(f.key, stored[0].access_token_enc), /^EAAG-fake-business-token-/);
    assert.equal((await db.pool.query('select count(*)::int as n from wa_phone_numbers where phone_number_id = \'99999999\'')).rows[0].n, 0);
    owner.expectClean();
  });

  step('a step Meta refuses shows its message and what to do; Try again resumes at that step', async () => {
    const ids = { wabaId: '310000000002', phoneNumberId: '106540000002' };
    facebook!.next(ids);
    f.graph.replyTo(GRAPH_STEPS.register, f.graph.error(400, 133016, 'Account register deregister rate limit exceeded'));
    const exchangesBefore = f.graph.calls(GRAPH_STEPS.exchange).length;
    await page.getByRole('button', { name: 'Connect with Facebook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect with Facebook' });
    await dialog.getByLabel('Two-step verification PIN').fill('135790');
    await dialog.getByRole('button', { name: 'Continue with Facebook' }).click();
    const alert = dialog.getByRole('alert');
    await alert.getByText('Registering the number failed').waitFor();
    await alert.getByText('Account register deregister rate limit exceeded').waitFor();
    await alert.getByText(/limit of 10 registrations in 72 hours/).waitFor();
    await screenshots(page, 'numbers-signup-step-failed');
    owner.expectClean(['422 POST /api/meta/whatsapp/signup/complete']);

    await dialog.getByRole('button', { name: 'Try again' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card(page, '+62 812-0002').waitFor();
    assert.equal(f.graph.calls(GRAPH_STEPS.exchange).length, exchangesBefore + 1, 'the code was exchanged once: the retry resumed at register');
    assert.equal(f.graph.calls(GRAPH_STEPS.register).filter((r) => r.path.includes(ids.phoneNumberId)).length, 2);
    owner.expectClean();
  });

  step('closing Meta\'s window connects nothing, and the window can be opened again', async () => {
    facebook!.next({ cancelAt: 'PHONE_NUMBER_SETUP' });
    const calls = f.graph.requests.length;
    await page.getByRole('button', { name: 'Connect with Facebook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect with Facebook' });
    await dialog.getByLabel('Two-step verification PIN').fill('112233');
    await dialog.getByRole('button', { name: 'Continue with Facebook' }).click();
    await dialog.getByRole('alert').getByText(/closed at “PHONE_NUMBER_SETUP” before a number was chosen/).waitFor();
    assert.equal(f.graph.requests.length, calls, 'nothing reached Graph');

    facebook!.next({ wabaId: '310000000003', phoneNumberId: '106540000003' });
    await dialog.getByRole('button', { name: 'Continue with Facebook' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card(page, '+62 812-0003').waitFor();
    owner.expectClean();
  });
});
