import type { Page } from 'playwright-core';
import { PASSWORD } from './inbox-fixture.js';

/** Signs in on the sign-in page the inbox redirects to, and waits for the inbox. */
export async function signInToInbox(page: Page, inboxUrl: string, email: string): Promise<void> {
  await page.goto(inboxUrl);
  await page.waitForURL(/\/sign-in\?redirect=/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
}

/** Waits until the conversation list shows exactly `n` rows (5 s). */
export async function waitForCount(page: Page, n: number): Promise<void> {
  const until = Date.now() + 5000;
  for (;;) {
    const count = await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').count();
    if (count === n) return;
    if (Date.now() > until) throw new Error(`expected ${n} conversations, the list shows ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until `check` is true (5 s by default): for effects outside the page (a fake server, a row). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
