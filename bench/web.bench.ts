/**
 * Issue 12 targets, in headless Chromium against the real app serving web/dist: JavaScript shipped
 * for the first page ≤ 200 kB gzipped; sign-in page to the workspaces list rendered < 1 s; with
 * 10,000 workspaces the list API p99 < 20 ms and search p99 < 50 ms (loopback HTTP, bearer token).
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { mintAccessToken } from '../src/auth/jwt.js';
import { hashPassword } from '../src/auth/passwords.js';
import { upsertUser } from '../src/auth/users.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { chromiumPath } from '../test/helpers/browser.js';
import { benchJwtKey, listenBenchApp, root, withBenchServer } from './harness.js';
import { httpLatencies, latencyRow, record, stats } from './lib.js';

const WORKSPACES = Number(process.env.BENCH_WORKSPACES ?? 10_000);
const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 10);
const ADMIN = { email: 'bench-admin@example.com', password: 'bench password 123' };
const NAMES = ['Toko', 'Warung', 'Kopi', 'Batik', 'Sari', 'Maju', 'Jaya', 'Makmur', 'Indah', 'Sentosa'];

async function load(pool: Pool): Promise<string> {
  await pool.query(`insert into workspaces (slug, name)
    select 'ws-' || g, (array[${NAMES.map((n) => `'${n}'`).join(',')}])[1 + g % 10] || ' ' || (array[${NAMES.map((n) => `'${n}'`).join(',')}])[1 + (g / 10) % 10] || ' ' || g
      from generate_series(1, ${WORKSPACES}) g`);
  await pool.query('insert into workspace_token_balance (workspace_id, balance) select id, (random() * 100000)::int from workspaces');
  await pool.query(`insert into workspace_entitlements (workspace_id, key, enabled) select id, k, (random() < 0.5)
      from workspaces, unnest(array['core_os', 'meta_hub']) k`);
  await pool.query('vacuum analyze workspaces, workspace_token_balance, workspace_entitlements');
  const { id } = (await upsertUser(pool, ADMIN.email, { passwordHash: await hashPassword(ADMIN.password), confirmed: true })).user;
  await pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [id, ADMIN.email]);
  return id;
}

/** Bytes of JavaScript the sign-in page loads: raw, gzipped (level 9), and as sent (the build's brotli copies). */
async function firstPageScripts(base: string, executablePath: string): Promise<{ raw: number; gzip: number; wire: number; files: number }> {
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage();
    const bodies: Promise<Buffer>[] = [];
    const sent: Promise<number>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      bodies.push(response.body());
      sent.push(response.request().sizes().then((sizes) => sizes.responseBodySize));
    });
    await page.goto(`${base}/sign-in`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle');
    const all = await Promise.all(bodies);
    const wire = (await Promise.all(sent)).reduce((n, size) => n + size, 0);
    return { raw: all.reduce((n, b) => n + b.length, 0), gzip: all.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0), wire, files: all.length };
  } finally {
    await browser.close();
  }
}

/** Milliseconds from clicking Sign in to the first workspace row on screen, each run in a fresh browser context. */
async function signInToList(base: string, executablePath: string): Promise<number[]> {
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--disable-background-networking', '--disable-component-update'] });
  const samples: number[] = [];
  try {
    for (let i = 0; i < SIGN_INS + 1; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/sign-in?redirect=${encodeURIComponent('/ops/platform-admin')}`);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      const started = performance.now();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: /^Details of / }).first().waitFor();
      if (i > 0) samples.push(performance.now() - started); // the first run warms the server's caches
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return samples;
}

export function run(): Promise<void> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('bench web needs Chromium: apt-get install -y chromium fonts-liberation');
  return withBenchServer({ port: 54950 }, async (server, work) => {
    const url = server.url();
    const pool = createPool(url, { max: 10 });
    const adminId = await load(pool);
    const { app, base } = await listenBenchApp(pool, url, { STORAGE_LOCAL_DIR: path.join(work, 'storage'), OPS_ADMIN_EMAILS: ADMIN.email, OPS_WRITE_RATE_LIMIT: '100000' }, path.join(root, 'web', 'dist'));
    const token = await mintAccessToken(benchJwtKey, { sub: adminId, email: ADMIN.email });

    const scripts = await firstPageScripts(base, executablePath);
    const signIn = stats(await signInToList(base, executablePath));

    const pages = Array.from({ length: 40 }, (_, i) => `/api/ops/workspaces?limit=25&offset=${(i * 250) % WORKSPACES}`);
    const searches = [...NAMES.map((n) => n.toLowerCase()), 'ws-42', 'toko maju', 'sari 77', 'zzz', 'indah sentosa 9', 'jaya 1'].map((q) => `/api/ops/workspaces?limit=25&q=${encodeURIComponent(q)}`);
    const rows: string[] = [];
    for (const [name, urls, target] of [['list, 25 a page at offsets 0–9,750', pages, 20], ['search by name or slug', searches, 50]] as const) {
      await httpLatencies(base, token, urls.slice(0, 20), 20);
      const runs = [];
      for (let round = 0; round < 3; round++) runs.push(await httpLatencies(base, token, [...urls]));
      rows.push(latencyRow(name, runs, target));
    }
    await app.close();
    await pool.end();

    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
    const lines = [
      '### First page and sign-in, headless Chromium against the app serving web/dist',
      '',
      '| measure | result | target | result / target |',
      '|---|---|---|---|',
      `| JavaScript loaded by /sign-in (${scripts.files} files), gzipped | ${kb(scripts.gzip)} (raw ${kb(scripts.raw)}; sent as brotli: ${kb(scripts.wire)}) | ≤ 200 kB | ${(scripts.gzip / 1024 / 200).toFixed(2)}×: ${scripts.gzip <= 200 * 1024 ? 'met' : 'not met'} |`,
      `| click Sign in → workspaces list rendered, median (min–max, n=${signIn.runs}) | ${signIn.median.toFixed(0)} ms (${signIn.min.toFixed(0)}–${signIn.max.toFixed(0)}) | < 1,000 ms | ${(signIn.median / 1000).toFixed(2)}×: ${signIn.max < 1000 ? 'met (every run)' : signIn.median < 1000 ? 'median met' : 'not met'} |`,
      '',
      `### GET /api/ops/workspaces over ${WORKSPACES.toLocaleString('en')} workspaces (balances, 2 entitlements each); sequential requests over loopback, 3 runs`,
      '',
      '| query | p50 median (min–max) | p99 median (min–max) | target | p99 / target |',
      '|---|---|---|---|---|',
      ...rows,
    ];
    record('Web app and ops console', lines);
    console.log(lines.join('\n'));
  });
}
