/**
 * Issue 14 targets, measured by monitor.bench.ts on its 1,000,000-message archive: the archive page
 * with 50 media items rendered in headless Chromium < 1 s; the groups page API (list + counts) p99
 * < 20 ms with 5,000 groups; a message ingested by the worker visible on an open archive page p95
 * < 500 ms.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { mintAccessToken } from '../src/auth/jwt.js';
import { hashPassword } from '../src/auth/passwords.js';
import { upsertUser } from '../src/auth/users.js';
import type { Pool } from '../src/db/pool.js';
import { ingestMessages } from '../src/monitor/ingest/ingest.js';
import { chromiumPath, waitForTrue } from '../test/helpers/browser.js';
import { png } from '../test/helpers/media-files.js';
import { child } from './child.js';
import { benchJwtKey, listenBenchApp, root } from './harness.js';
import { fmt, httpLatencies, latencyRow, stats } from './lib.js';

const GROUPS_TOTAL = 5000;
const RENDERS = Number(process.env.BENCH_ARCHIVE_RENDERS ?? 10);
const INGESTS = Number(process.env.BENCH_INGEST_VISIBLE ?? 20);
const USER = { email: 'bench-monitor@example.com', password: 'bench password 123' };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)]!;

export async function monitorUi(pool: Pool, url: string, work: string): Promise<string[]> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('bench monitor needs Chromium: apt-get install -y chromium fonts-liberation');
  // 5,000 groups: the 50 busy ones (20,000 messages each) and 4,950 quiet ones.
  await pool.query(`insert into groups (wa_group_id, name) select '1203639' || lpad(g::text, 8, '0') || '@g.us', 'Team ' || g from generate_series(1, ${GROUPS_TOTAL - 50}) g`);
  await pool.query(`insert into group_message_stats (group_id, message_count, last_message_at)
    select group_id, count(*), max(ts) from messages where group_id is not null group by group_id
    on conflict (group_id) do update set message_count = excluded.message_count, last_message_at = excluded.last_message_at`);
  await pool.query('vacuum analyze groups, group_message_stats');
  const { id } = (await upsertUser(pool, USER.email, { passwordHash: await hashPassword(USER.password), confirmed: true })).user;
  await pool.query('insert into owner_members (user_id, email, role) values ($1, $2, \'owner\')', [id, USER.email]);
  const token = await mintAccessToken(benchJwtKey, { sub: id, email: USER.email, expiresIn: 3600 });

  const port = await freePort();
  const { app, base, mediaStore } = await listenBenchApp(pool, url, {
    STORAGE_LOCAL_DIR: path.join(work, 'storage'), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, WABASE_HOME: path.join(work, 'home'),
  }, path.join(root, 'web', 'dist'), port);
  const lines: string[] = [];
  try {
    // Groups page: pages of 25 by name (the busy groups' pages first), a search, the status counts.
    const offsets = Array.from({ length: 40 }, (_, i) => (i * 125) % GROUPS_TOTAL);
    const scenarios: [string, string[]][] = [
      ['groups page of 25 with counts', offsets.map((o) => `/api/monitor/groups?limit=25&offset=${o}`)],
      ['groups search by name, with counts', ['Group 1', 'Team 12', 'team 4', 'Group', 'Team 499', 'zzz'].map((q) => `/api/monitor/groups?limit=25&q=${encodeURIComponent(q)}`)],
      ['monitored filter, with counts', ['/api/monitor/groups?limit=25&monitor=true', '/api/monitor/groups?limit=25&monitor=false&offset=100']],
      ['session status (group totals)', ['/api/monitor/status']],
    ];
    const rows: string[] = [];
    for (const [name, urls] of scenarios) {
      await httpLatencies(base, token, urls.slice(0, 20));
      const runs = [];
      for (let round = 0; round < 3; round++) runs.push(await httpLatencies(base, token, urls));
      rows.push(latencyRow(name, runs, 20));
    }

    // The newest 50 image messages get real files (160×120 noise PNGs) in the store.
    const images = (await pool.query<{ path: string }>(
      `select md.storage_path as path from messages m join media md on md.id = m.media_id where m.kind = 'image' order by m.ts desc, m.id desc limit 50`)).rows;
    for (const { path: p } of images) {
      const noise = randomBytes(3);
      await mediaStore.put(p.replace(/^wa-media\//, ''), png(160, 120, [noise[0]!, noise[1]!, noise[2]!]), 'image/png');
    }

    // Render times come from a separate process (see archive-renders.ts); then this process opens
    // its own browser for the live row, which needs the pool to ingest.
    let printed = '';
    await child([path.join(import.meta.dirname, 'archive-renders.ts'), base, USER.email, USER.password, String(RENDERS)], (line) => (printed = line)).done;
    const renders = JSON.parse(printed) as { firstVisits: number[]; revisits: number[]; floor: number[] };
    const { firstVisits, revisits, floor } = renders;
    const browser = await chromium.launch({ executablePath, headless: true, args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 2000 } });
      const page = await context.newPage();
      await signIn(page, base);
      const r = stats(firstVisits);
      const rv = stats(revisits);
      const fl = stats(floor);

      // An open archive page; the worker's ingest stores a message; how long until it is on screen.
      await page.goto(`${base}/monitor/messages`);
      await page.getByRole('list', { name: 'Messages' }).waitFor();
      await page.locator('[data-live="live"]').waitFor();
      const chat = (await pool.query<{ chat: string }>('select wa_group_id as chat from groups where monitor order by name limit 1')).rows[0]!.chat;
      const visible: number[] = [];
      for (let i = 0; i < INGESTS; i++) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 400));
        const text = `bench live ${i} ${randomBytes(4).toString('hex')}`;
        const started = performance.now();
        await ingestMessages({ pool, store: mediaStore, mediaMaxBytes: 1000, download: () => Promise.reject(new Error('none')) },
          [{ key: { remoteJid: chat, participant: '5511900000000@s.whatsapp.net', id: `VISIBLE${i}-${text}` }, messageTimestamp: Math.floor(Date.now() / 1000) + 86_400 * 400, message: { conversation: text } }]);
        await waitForTrue(page, `document.body.innerText.includes(${JSON.stringify(text)})`, 5000);
        visible.push(performance.now() - started);
      }
      const v = stats(visible);
      await context.close();
      lines.push(
        `### Group monitor pages (issue 14): ${GROUPS_TOTAL.toLocaleString('en')} groups (50 with 20,000 messages each), the same archive; ${RENDERS} renders, ${INGESTS} ingests`,
        '',
        '| query | p50 median (min–max) | p99 median (min–max) | target | p99 / target |',
        '|---|---|---|---|---|',
        ...rows,
        '',
        '| measure | median (min–max) | p95 | target | ratio |',
        '|---|---|---|---|---|',
        `| archive page, 50 image thumbnails, first visit (new browser context: nothing cached; navigation start to the frame with all 50 decoded, timed in the page) | ${fmt(r.median)} (${fmt(r.min)}–${fmt(r.max)}) | ${fmt(p95(firstVisits))} | < 1 s | ${(p95(firstVisits) / 1000).toFixed(2)}× the limit (p95): ${p95(firstVisits) < 1000 ? 'met' : 'not met'} |`,
        `| (floor) any 50 small images in this browser: a blank page in a new context, 50 PNGs from a bare Node server (no app, no database) | ${fmt(fl.median)} (${fmt(fl.min)}–${fmt(fl.max)}) | ${fmt(p95(floor))} | | the archive's first visit is ${(r.median / fl.median).toFixed(1)}× this at the median |`,
        `| archive page, 50 image thumbnails, revisit in the same tab (code and images cached; timed in the page) | ${fmt(rv.median)} (${fmt(rv.min)}–${fmt(rv.max)}) | ${fmt(p95(revisits))} | < 1 s | ${(p95(revisits) / 1000).toFixed(2)}× the limit (p95): ${p95(revisits) < 1000 ? 'met' : 'not met'} |`,
        `| ingest → visible on an open archive page (SSE: NOTIFY → event → feed re-read → rendered) | ${fmt(v.median)} (${fmt(v.min)}–${fmt(v.max)}) | ${fmt(p95(visible))} | p95 < 500 ms | ${(p95(visible) / 500).toFixed(2)}× the limit: ${p95(visible) < 500 ? 'met' : 'not met'} |`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    await app.close();
  }
  return lines;
}

async function signIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/sign-in?redirect=${encodeURIComponent('/monitor')}`);
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Session', exact: true }).waitFor();
}
