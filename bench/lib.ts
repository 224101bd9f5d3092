import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
