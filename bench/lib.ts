import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { child } from './child.js';

export interface Stats {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}

export const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
export const spread = (s: Stats) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)}, n=${s.runs})`;

export async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
}

/** Prepends a dated section to bench/RESULTS.md (newest first). */
export function record(title: string, lines: string[]): void {
  const file = path.join(import.meta.dirname, 'RESULTS.md');
  const header = '# Benchmark results\n\nWritten by `npm run bench`; newest first. Medians with (min–max, runs).\n';
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').replace(header, '') : '';
  const section = [`\n## ${title} — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`, '', `Machine: ${machine()}`, '', ...lines, ''].join('\n');
  fs.writeFileSync(file, header + section + previous);
}

/** p50 and p99 of `requests` sequential GETs over `urls` (round robin) with a bearer token; any non-200 fails the run. */
export async function httpLatencies(
  base: string,
  token: string,
  urls: string[],
  requests = Number(process.env.BENCH_REQUESTS ?? 400),
): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const res = await fetch(base + urls[i % urls.length], { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${urls[i % urls.length]}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
}

/**
 * httpLatencies from a separate client process (bench/latency-client.ts), so the client's own
 * work and garbage do not share the server's event loop: `rounds` runs (default 3) after
 * `warmup` requests (default 40).
 */
export async function httpLatencyRuns(
  base: string,
  token: string,
  urls: string[],
  options: { warmup?: number; rounds?: number; requests?: number } = {},
): Promise<{ p50: number; p99: number }[]> {
  const requests = options.requests ?? Number(process.env.BENCH_REQUESTS ?? 400);
  let printed = '';
  const args = [base, token, JSON.stringify(urls), String(requests), String(options.warmup ?? 40), String(options.rounds ?? 3)];
  const client = child([path.join(import.meta.dirname, 'latency-client.ts'), ...args], (line) => (printed = line));
  await client.done;
  return JSON.parse(printed) as { p50: number; p99: number }[];
}

/** A table row `| name | p50 median (min–max) | p99 median (min–max) | < target ms | p99/target |` over several runs. */
export function latencyRow(name: string, runs: { p50: number; p99: number }[], target: number): string {
  const p50 = stats(runs.map((r) => r.p50));
  const p99 = stats(runs.map((r) => r.p99));
  const range = (s: Stats) => `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
  return `| ${name} | ${range(p50)} | ${range(p99)} | < ${target} ms | ${(p99.median / target).toFixed(2)}× the limit: ${p99.median < target ? 'met' : 'not met'} |`;
}

/**
 * POSTs in flight for ingest measured the way Meta delivers: many webhooks at once, judged by
 * Meta's webhook latency standard (median ≤ 250 ms, fewer than 1 % over 1 s). At 16 in flight the
 * load client waits on every answer, so its rate is bounded by 16 / latency, not by the server.
 */
export const META_CONCURRENCY = 64;

/** Whether latencies meet Meta's webhook standard (median ≤ 250 ms, p99 < 1 s). */
export const withinMetaLatency = (p50: number, p99: number) => p50 <= 250 && p99 < 1000;
