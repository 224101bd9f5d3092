import { AppError } from '../../errors.js';
import type { Catalog } from '../catalog.js';
import type { CloneOptions } from '../clone/clone-schema.js';
import type { SchemaLock } from '../lockfile.js';
import type { Plan } from '../plan.js';
import { type Rehearsal, rehearse } from '../reconcile/rehearse.js';
import type { ReconcileFile } from '../reconcile/apply.js';
import { type StepEvent, timed } from '../timed.js';
import type { CheckpointResult } from './checkpoint.js';
import { driftBlocksPush, driftGate, type DriftGateResult } from './gate.js';

export interface PreflightInput {
  url: string;
  plan: Plan;
  lock: SchemaLock;
  live: Catalog;
  checkpoint: CheckpointResult;
  migrationsDir: string;
  reconcile?: ReconcileFile;
  acceptDrift?: boolean;
  /** false: skip the rehearsal on a drifted database (`--skip-rehearsal`). */
  rehearse?: boolean;
  clone?: CloneOptions;
  onEvent?: (event: StepEvent) => void;
}

/** The error that stops a push whose rehearsal failed: nothing on the live database was touched. */
function rehearsalFailed(rehearsal: Rehearsal): AppError {
  return new AppError('rehearsal_failed',
    `the push was rehearsed on a schema clone of the drifted database and did not pass; nothing was changed:\n✗ ${rehearsal.detail}\n` +
    'Run `wabase db reconcile` to plan the fixes (or adjust the pending migration), then push again. ' +
    'To push without the rehearsal: wabase db push --skip-rehearsal.',
    409, { details: { rehearsal } });
}

/**
 * What runs between the plan and the backup on a database that is not exactly at its checkpoint:
 * the drift gate (skipped when a reviewed reconcile file is given: it is the answer to the gate),
 * then, when there is drift or a reconcile, a rehearsal of the reconcile and the pending files on a
 * schema clone on the same server. A database at its checkpoint pays none of this.
 */
export async function preflight(input: PreflightInput): Promise<{ gate: DriftGateResult | null; rehearsal: Rehearsal | null }> {
  const { plan, lock, live, checkpoint, onEvent } = input;
  const pending = plan.toApply.length > 0;
  const gate = !input.reconcile && checkpoint.clean !== true && pending
    ? await timed('drift gate', onEvent, () => driftGate({ url: input.url, plan, lock, live, migrationsDir: input.migrationsDir }),
        (g) => `${g.findings.length} finding(s), ${g.blocking.length} blocking`)
    : null;
  if (gate && gate.blocking.length > 0 && !input.acceptDrift) throw driftBlocksPush(gate);
  const drifted = input.reconcile !== undefined || (gate !== null && gate.findings.length > 0);
  if (!drifted || input.rehearse === false || (!pending && !input.reconcile)) return { gate, rehearsal: null };
  const rehearsal = await timed('rehearsal', onEvent,
    () => rehearse(input.url, { reconcile: input.reconcile?.sql ?? null, pending: plan.toApply, lock, clone: input.clone }),
    (r) => r.detail);
  if (!rehearsal.ok) throw rehearsalFailed(rehearsal);
  return { gate, rehearsal };
}
