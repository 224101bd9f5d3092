import type { Catalog } from '../catalog.js';
import { catalogDigest } from '../digest.js';
import type { SchemaLock } from '../lockfile.js';
import type { Plan } from '../plan.js';

export interface CheckpointResult {
  /** Newest applied version ('' when nothing is applied yet). */
  applied: string;
  /** The checkpoint of that version, or null when the lock has none (format 1, or an unknown version). */
  expected: string | null;
  actual: string;
  /** true: the live catalog is exactly what the applied migrations make; null: unknown (no checkpoint). */
  clean: boolean | null;
}

/** Newest version the plan counts as applied (edited files were applied too). */
export function newestApplied(plan: Plan): string {
  return plan.entries.filter((e) => e.state === 'applied' || e.state === 'edited').map((e) => e.version).sort().at(-1) ?? '';
}

/**
 * The fast no-drift check: the live catalog's digest against the lock's checkpoint for the newest
 * applied version. One catalog read, no scratch database.
 */
export function checkCheckpoint(lock: SchemaLock, plan: Plan, live: Catalog): CheckpointResult {
  const applied = newestApplied(plan);
  const actual = catalogDigest(live);
  const expected = applied ? (lock.checkpoints[applied] ?? null) : null;
  return { applied, expected, actual, clean: expected === null ? null : expected === actual };
}
