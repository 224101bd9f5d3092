import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';
import type { MediaStore } from '../storage/store.js';
import type { WorkerTask } from '../worker/worker.js';
import type { WaConnector } from './session/port.js';
import { baileysConnector } from './session/baileys.js';
import { MonitorSession } from './session/runner.js';

export interface MonitorTaskOptions {
  pool: Pool;
  store: MediaStore;
  logger: Logger;
  mediaMaxBytes: number;
  /** Default: the Baileys connector. */
  connector?: WaConnector;
}

/** The group monitor as a worker task: one WhatsApp Web session per deployment. */
export function monitorTask(options: MonitorTaskOptions): WorkerTask {
  return {
    name: 'group-monitor',
    async run(signal) {
      const connector = options.connector ?? baileysConnector(options.logger);
      const session = new MonitorSession({ ...options, connector });
      await session.run(signal);
    },
  };
}
