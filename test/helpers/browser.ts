import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium: the real binary first (the /usr/bin wrapper prints a harmless warning). */
const CANDIDATES = [process.env.CHROME_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const INSTALL = 'apt-get install -y chromium fonts-liberation';

export function chromiumPath(): string | null {
  return CANDIDATES.find((candidate): candidate is string => Boolean(candidate && fs.existsSync(candidate))) ?? null;
}

/**
 * The browser for a test file, closed when the file ends. No Chromium: the file's tests are
 * skipped with the reason, unless WABASE_REQUIRE_BROWSER=1 (CI), where that is a failure.
 */
export async function launchBrowser(): Promise<Browser | null> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    if (process.env.WABASE_REQUIRE_BROWSER === '1') throw new Error(`WABASE_REQUIRE_BROWSER=1 but no Chromium was found: ${INSTALL}`);
    return null;
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // This machine's network is closed: without these Chromium keeps dialling Google's services.
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  after(() => browser.close());
  return browser;
}

export const skipReason = `Chromium not found (${INSTALL}; or set CHROME_PATH)`;

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  problems: string[];
  /** Every 4xx/5xx the page received, as `404 GET /api/ops/workspaces/…`. */
  httpErrors: string[];
  /**
   * Fails on any problem, and on any HTTP error not in `expected` (the 404 of an unknown workspace,
   * the 409 of a deduct past the balance; a line listed once allows it any number of times);
   * clears both lists for the next step.
   */
  expectClean(expected?: string[]): void;
}

/**
 * A page in a fresh context (its own storage) that records every console error, uncaught error
 * and CSP violation, so a test can assert there were none.
 */
export async function watchedPage(browser: Browser, baseURL: string, viewport = { width: 1280, height: 800 }): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport });
  const problems: string[] = [];
  // Chromium logs most CSP refusals itself; this catches every one, reported or not.
  await context.addInitScript({
    content: 'document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));',
  });
  const page = await context.newPage();
  const httpErrors: string[] = [];
  page.on('console', (message) => {
    // Chromium logs every 4xx/5xx fetch as an error; those are checked precisely in httpErrors.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) httpErrors.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  after(() => context.close().catch(() => {}));
  return {
    page,
    context,
    problems,
    httpErrors,
    expectClean(expected = []) {
      const seen = { problems: [...problems], unexpected: httpErrors.filter((line) => !expected.includes(line)) };
      problems.length = 0;
      httpErrors.length = 0;
      assert.deepEqual(seen, { problems: [], unexpected: [] }, 'the page logged errors, CSP violations or unexpected HTTP errors');
    },
  };
}

const SHOTS = path.resolve('.wabase', 'screenshots');

/** Screenshots for a person to look at (kept out of git, under .wabase/screenshots): desktop and 390 px. */
export async function screenshots(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  // Images (the logo) may still be loading right after a client-side change: a picture of the page as a person sees it.
  await page.waitForLoadState('networkidle', { timeout: 2000 }).catch(() => {});
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(original);
}

/**
 * Polls a page expression until it is true (`waitForFunction` would evaluate it with `eval`,
 * which the app's CSP rightly refuses; `evaluate` runs over CDP, outside the page's policy).
 */
export async function waitForTrue(page: Page, expression: string, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`still false after ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
