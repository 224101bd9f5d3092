/**
 * The inbox bench's live measure: a signed-in inbox open in headless Chromium while another process
 * POSTs webhooks at a steady rate; probe webhooks to threads of their own, and the page records when
 * each probe's event reached its stream and when its text reached the screen.
 */
import path from 'node:path';
import { chromium } from 'playwright-core';
import { child } from './child.js';
import { AGENT, type InboxData, probeWebhook } from './inbox-data.js';
import { META_CONCURRENCY } from './lib.js';

const RUNS = 3;
const PROBES_PER_RUN = 30;
const PROBE_EVERY_MS = 250;

/** Runs in the page before the app: taps the event stream and watches the DOM for expected probes. */
const PROBE_TAP = `(() => {
  const expected = new Map();
  const seen = {};
  window.__expect = (id, text) => { expected.set(id, text); seen[id] = {}; };
  window.__seen = seen;
  const settle = (id) => { if (seen[id].stream && seen[id].screen) expected.delete(id); };
  const original = window.fetch;
  window.fetch = async (...args) => {
    const response = await original(...args);
    const url = String(args[0] instanceof Request ? args[0].url : args[0]);
    if (!url.includes('/api/meta/whatsapp/events') || !response.body) return response;
    const [page, tap] = response.body.tee();
    (async () => {
      const reader = tap.pipeThrough(new TextDecoderStream()).getReader();
      let tail = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = tail + value;
        for (const id of expected.keys()) if (!seen[id].stream && text.includes(id)) { seen[id].stream = Date.now(); settle(id); }
        tail = text.slice(-100);
      }
    })().catch(() => {});
    return new Response(page, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  new MutationObserver(() => {
    const body = document.body ? document.body.textContent : '';
    for (const [id, text] of expected) if (!seen[id].screen && body.includes(text)) { seen[id].screen = Date.now(); settle(id); }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

const pct = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

export async function probeInBrowser(options: { base: string; executablePath: string; data: InboxData; ingestRate: number; secret: string }) {
  const { base, data } = options;
  const args = ['--disable-background-networking', '--disable-component-update'];
  const browser = await chromium.launch({ executablePath: options.executablePath, headless: true, args });
  const result = {
    streamP50: [] as number[], streamP95: [] as number[], screenP50: [] as number[], screenP95: [] as number[], achievedRps: 0, seconds: 0, probes: 0,
  };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript({ content: PROBE_TAP });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in?redirect=${encodeURIComponent(`/dashboard/meta-hub/whatsapp/${data.workspaceId}`)}`);
    await page.getByLabel('Email').fill(AGENT.email);
    await page.getByLabel('Password').fill(AGENT.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 30_000 });
    const rates: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const seconds = (PROBES_PER_RUN * PROBE_EVERY_MS) / 1000 + 4;
      const target = `${base}/api/webhooks/meta/whatsapp`;
      const load = child([path.join(import.meta.dirname, 'load-client.ts'), target, options.secret, String(options.ingestRate * seconds), String(META_CONCURRENCY), 'PN-BENCH', String(options.ingestRate)]);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const posted = new Map<string, number>();
      for (let k = 0; k < PROBES_PER_RUN; k++) {
        const probe = data.probeThreads[run * PROBES_PER_RUN + k]!;
        const text = `probe ${run}-${k} ${Date.now()}`;
        await page.evaluate(`window.__expect(${JSON.stringify(probe.id)}, ${JSON.stringify(text)})`);
        const webhook = probeWebhook(options.secret, probe.contact, text, `wamid.probe.${run}.${k}.${Date.now()}`);
        posted.set(probe.id, Date.now());
        const res = await fetch(`${base}/api/webhooks/meta/whatsapp`, { method: 'POST', headers: webhook.headers, body: webhook.body });
        if (res.status !== 200) throw new Error(`probe webhook: ${res.status}`);
        await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
      }
      const raw = await load.done;
      if (!raw.startsWith('{')) throw new Error(`the load client printed no result: ${JSON.stringify(raw)}`);
      const out = JSON.parse(raw) as { rps: number };
      rates.push(out.rps);
      result.seconds = seconds;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const seen = await page.evaluate('window.__seen') as Record<string, { stream?: number; screen?: number }>;
      const stream: number[] = [];
      const screen: number[] = [];
      for (const [id, at] of posted) {
        // A probe never seen counts as 10 s: a lost event must not improve the figure.
        stream.push((seen[id]?.stream ?? at + 10_000) - at);
        screen.push((seen[id]?.screen ?? at + 10_000) - at);
      }
      result.probes += posted.size;
      result.streamP50.push(pct(stream, 0.5));
      result.streamP95.push(pct(stream, 0.95));
      result.screenP50.push(pct(screen, 0.5));
      result.screenP95.push(pct(screen, 0.95));
    }
    result.achievedRps = rates.reduce((a, b) => a + b, 0) / rates.length;
    await context.close();
  } finally {
    await browser.close();
  }
  return result;
}
