/**
 * Load generator for the ingest bench, run as its own process so it does not share the server's
 * event loop: POSTs `total` signed single-message webhooks at `concurrency`, prints latencies.
 * argv: url secret total concurrency phoneNumberId [ratePerSecond] [mediaShare]: with a rate, POST i
 * starts no earlier than i / rate seconds after the start (a steady load instead of as fast as
 * possible; 0 or empty: as fast as possible); with a media share (0..1), that fraction of the POSTs
 * are image messages, each recording a media job.
 */
import http from 'node:http';
import { sign } from '../src/hub/webhook/signature.js';
import { imageWebhookBody, textWebhookBody } from './webhook-body.js';

const [url, secret, totalArg, concurrencyArg, pnid, rateArg, mediaArg] = process.argv.slice(2) as [string, string, string, string, string, string?, string?];
const rate = rateArg && Number(rateArg) > 0 ? Number(rateArg) : null;
/** Every `mediaEvery`-th POST is an image (0: none). */
const mediaEvery = mediaArg && Number(mediaArg) > 0 ? Math.round(1 / Number(mediaArg)) : 0;
const total = Number(totalArg);
const concurrency = Number(concurrencyArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
let next = 0;
const latencies: number[] = [];
const run = `${process.pid}-${Date.now()}`;

/** Signed bodies, built before the clock starts: the client should spend its CPU sending, not signing. */
const requests = Array.from({ length: total }, (_, i) => {
  const contact = { waId: `62811${i % 500}`, name: `Contact ${i % 500}` };
  const body = mediaEvery && i % mediaEvery === 0
    ? imageWebhookBody(pnid, contact, `wamid.bench.${run}.${i}`, `media.${run}.${i}`)
    : textWebhookBody(pnid, contact, `wamid.bench.${run}.${i}`, `message ${i}`);
  return { body, signature: sign(body, secret), length: Buffer.byteLength(body) };
});

function post(i: number): Promise<void> {
  const { body, signature, length } = requests[i]!;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': length, 'x-hub-signature-256': signature } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        latencies.push(performance.now() - started);
        resolve();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

let started = 0;

async function worker(): Promise<void> {
  while (next < total) {
    const i = next++;
    const wait = rate ? started + (i * 1000) / rate - performance.now() : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await post(i);
  }
}

started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
process.stdout.write(JSON.stringify({ rps: total / seconds, p50: at(0.5), p99: at(0.99) }));
agent.destroy();
