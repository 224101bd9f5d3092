import type { Runtime } from '../runtime/boot.js';
import type { WorkerTask } from './worker.js';

/** The tasks `npm run worker` runs. Features add theirs here (outbox sender, monitor session). */
export function workerTasks(_runtime: Runtime): WorkerTask[] {
  return [];
}
