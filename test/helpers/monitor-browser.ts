import type { Page } from 'playwright-core';
import { MONITOR_PASSWORD } from './monitor-fixture.js';

/** Opens `url`, is sent to sign-in, signs in with the monitor fixture's password and waits for `heading`. */
export async function signIn(page: Page, url: string, email: string, heading: string): Promise<void> {
  await page.goto(url);
  await page.waitForURL(/\/sign-in\?redirect=/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(MONITOR_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}
