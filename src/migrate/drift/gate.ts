import { AppError } from '../../errors.js';
import type { Catalog } from '../catalog.js';
import { compareCatalogs } from '../compare.js';
import { readMigrations } from '../files.js';
import type { SchemaLock } from '../lockfile.js';
import type { Plan } from '../plan.js';
import { newestApplied } from './checkpoint.js';
import { classifyDrift, type Finding } from './classify.js';
import { expectedAtApplied } from './expected.js';
import { pendingImpact } from './impact.js';
import { probeData } from './probes.js';

export interface DriftGateResult {
  /** Version the expected state was built at ('' = before any migration). */
  applied: string;
  findings: Finding[];
  blocking: Finding[];
  ms: number;
}

/**
 * The drift gate: the live catalog against what the applied migrations should have made
 * (E_applied), each difference classified, and the pending statements it skips or breaks found
 * with the Postgres parser; read-only counts of the rows that would make a pending statement fail.
 * Reads only; builds E_applied on a scratch database when needed.
 */
export async function driftGate(input: { url: string; plan: Plan; lock: SchemaLock; live: Catalog; migrationsDir: string }): Promise<DriftGateResult> {
  const started = performance.now();
  const { plan, lock, live } = input;
  const applied = newestApplied(plan);
  const files = await readMigrations(input.migrationsDir, { parse: false });
  const expected = await expectedAtApplied(input.url, lock, files, applied);
  const differences = compareCatalogs(expected, live);
  const impact = pendingImpact(plan.toApply, live, lock.catalog);
  const findings = [
    ...classifyDrift({ differences, live, target: lock.catalog, impact, pending: plan.toApply, applied }),
    ...(await probeData(input.url, impact.probes, live)),
  ];
  return { applied, findings, blocking: findings.filter((f) => f.blocks), ms: performance.now() - started };
}

/** The report of a gate, one block per finding, blocking ones first. */
export function formatFindings(findings: Finding[]): string {
  const ordered = [...findings].sort((a, b) => Number(b.blocks) - Number(a.blocks));
  return ordered
    .map((f) => [`${f.blocks ? '✗' : '!'} [${f.class}] ${f.object}`, ...f.lines.map((l) => `  ${l}`), `  fix: ${f.fix}`].join('\n'))
    .join('\n');
}

/** The error that stops a push before the backup: nothing has been touched. */
export function driftBlocksPush(gate: DriftGateResult): AppError {
  return new AppError(
    'drift_blocks_push',
    `the database has drifted in ways that break the pending migrations; nothing was changed:\n${formatFindings(gate.blocking)}\n` +
    'Run `wabase db reconcile` to write these fixes as a reviewed file, then `wabase db push --reconcile <file>`. ' +
    'To push anyway: wabase db push --accept-drift.',
    409,
    { details: { findings: gate.findings } },
  );
}
