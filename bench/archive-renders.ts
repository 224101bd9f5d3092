/**
 * The archive page's render times, in its own process (as the inbox bench's API client is): the
 * browser driver's protocol traffic must not share an event loop with the server it measures.
 * Args: base, email, password, renders. Prints `{ firstVisits, revisits, floor }` in ms as JSON.
 *
 * A render is timed in the page itself: from the navigation's start (the document's time origin)
 * to the first animation frame at which all 50 thumbnails are decoded. The floor is what this
 * browser on this machine needs for any 50 images: a blank page in a new context loading 50 small
 * PNGs from a bare Node server (no app, no database), timed the same way.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { png } from '../test/helpers/media-files.js';
import { chromiumPath } from '../test/helpers/browser.js';

const [base, email, password, rendersArg] = process.argv.slice(2) as [string, string, string, string];
const renders = Number(rendersArg);

/** True (and the time noted, once) when all 50 thumbnails are decoded; runs in the page. */
function decoded(): boolean {
  type Img = { complete: boolean; naturalWidth: number };
  const page = globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<Img> }; __renderedAt?: number };
  const images = Array.from(page.document.querySelectorAll('li[data-kind=image] img'));
  if (images.length !== 50 || !images.every((i) => i.complete && i.naturalWidth > 0)) return false;
  page.__renderedAt ??= performance.now();
  return true;
}

async function render(page: Page): Promise<number> {
  await page.goto(`${base}/monitor/messages?kind=image`);
  await page.waitForFunction(decoded, null, { polling: 'raf', timeout: 10_000 });
  return page.evaluate(() => (globalThis as unknown as { __renderedAt: number }).__renderedAt);
}

/** All `count` images of the page decoded (noted once, like decoded()); runs in the page. */
function bareDecoded(count: number): boolean {
  type Img = { complete: boolean; naturalWidth: number };
  const page = globalThis as unknown as { document: { images: ArrayLike<Img> }; __renderedAt?: number };
  const images = Array.from(page.document.images);
  if (images.length !== count || !images.every((i) => i.complete && i.naturalWidth > 0)) return false;
  page.__renderedAt ??= performance.now();
  return true;
}

async function imageFloor(browser: Browser, viewport: { width: number; height: number }, runs: number): Promise<number[]> {
  const image = png(160, 120, [40, 90, 140]);
  const html = `<!doctype html><body>${Array.from({ length: 50 }, (_, i) => `<img src="/${i}.png" width="160" height="120">`).join('')}</body>`;
  const server = http.createServer((request, response) => {
    if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(image);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const times: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(bareDecoded, 50, { polling: 'raf', timeout: 10_000 });
      const ms = await page.evaluate(() => (globalThis as unknown as { __renderedAt: number }).__renderedAt);
      if (i > 0) times.push(ms);
      await context.close();
    }
    return times;
  } finally {
    server.close();
  }
}

const browser = await chromium.launch({ executablePath: chromiumPath()!, headless: true, args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
try {
  // A tall window, so all 50 thumbnails are in view and loaded.
  const viewport = { width: 1280, height: 12_000 };
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?redirect=${encodeURIComponent('/monitor')}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Session', exact: true }).waitFor();
  const session = await context.storageState();
  // First visit: a new browser context each time (signed in, nothing cached: the page's code, the
  // feed and all 50 images are fetched), the server already running. The first one warms the server.
  const firstVisits: number[] = [];
  for (let i = 0; i < renders + 1; i++) {
    const fresh = await browser.newContext({ viewport, storageState: session });
    const ms = await render(await fresh.newPage());
    if (i > 0) firstVisits.push(ms);
    await fresh.close();
  }
  // Revisit in the same tab: code from the cache, the feed read again, images from the cache when
  // their signed URLs are unchanged (they are stable within the hour).
  const revisits: number[] = [];
  for (let i = 0; i < renders + 1; i++) {
    const ms = await render(page);
    if (i > 0) revisits.push(ms);
  }
  const floor = await imageFloor(browser, viewport, renders);
  console.log(JSON.stringify({ firstVisits, revisits, floor }));
} finally {
  await browser.close();
}
