import path from 'node:path';
import type { Config } from '../config.js';
import { localSecrets } from '../local-secrets.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded/server.js';

/** The database wabase runs on: an external URL, or the embedded server it started. */
export interface Database {
  url: string;
  embedded: EmbeddedPostgres | null;
  /** Stops the embedded server (no-op for an external database). */
  stop(): Promise<void>;
  /** Stops the embedded server at once (`pg_ctl stop -m immediate`), for a forced exit. */
  stopNow(): Promise<void>;
}

/** Opens the configured database, starting the embedded PostgreSQL when no URL is set. */
export async function openDatabase(
  config: Config,
  log: (message: string) => void = () => {},
): Promise<Database> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: null, stop: async () => {}, stopNow: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(config.home, 'pg'),
    port: config.embeddedPgPort,
    password: localSecrets(config.home).pgPassword,
    log,
  });
  return { url: embedded.url(), embedded, stop: () => embedded.stop(), stopNow: () => embedded.stopNow() };
}
