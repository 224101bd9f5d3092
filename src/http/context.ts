import type { Config } from '../config.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';
import type { MediaStore } from '../storage/store.js';

/** What routes need from the process that serves them; tests build it around a test database. */
export interface AppContext {
  config: Config;
  /** Member requests: statement and lock timeouts, a bounded wait for a connection. */
  pool: Pool;
  /** Webhook ingest (and, in the worker, sending); default `pool`. */
  servicePool?: Pool;
  logger: Logger;
  /** HS256 key that verifies access tokens. */
  jwtKey: Uint8Array;
  /** Migration versions this build needs; readiness fails until all are applied. */
  requiredMigrations: string[];
  /** Private store of group media (local, Supabase Storage or S3). */
  mediaStore: MediaStore;
  /** The built web app served at `/`; default `web/dist` under the working directory. */
  webRoot?: string;
}
