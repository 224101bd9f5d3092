/** What the benchmarks share: a throwaway embedded PostgreSQL, and the real app listening on loopback. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../src/db/embedded/server.js';
import type { Pool } from '../src/db/pool.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/log.js';
import { push } from '../src/migrate/push.js';
import { requiredVersions } from '../src/migrate/status.js';
import { createMediaStore } from '../src/storage/create.js';

export const root = path.join(import.meta.dirname, '..');
const migrations = path.join(root, 'supabase', 'migrations');
const JWT_SECRET = 'x'.repeat(40);
export const benchJwtKey = new TextEncoder().encode(JWT_SECRET);

/**
 * Runs `fn` on a fresh embedded PostgreSQL in a temp folder (migrated unless `migrate: false`),
 * then stops it and removes the folder.
 */
export async function withBenchServer<T>(
  options: { port: number; database?: string; migrate?: boolean },
  fn: (server: EmbeddedPostgres, work: string) => Promise<T>,
): Promise<T> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-bench-'));
  fs.chmodSync(work, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(work, 'pg'), port: options.port, password: 'bench', database: options.database });
  try {
    if (options.migrate !== false) await push(server.url(), { migrationsDir: migrations });
    return await fn(server, work);
  } finally {
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The real app on `pool`, listening on loopback (`port`, default a free one); `env` adds to a test configuration. */
export async function listenBenchApp(pool: Pool, url: string, env: Record<string, string> = {}, webRoot?: string, port = 0) {
  const config = parseConfig({ DATABASE_URL: url, SUPABASE_JWT_SECRET: JWT_SECRET, NODE_ENV: 'test', ...env });
  const mediaStore = await createMediaStore(config.storage, benchJwtKey);
  const app = await buildApp({ config, pool, logger: createLogger('silent'), jwtKey: benchJwtKey, requiredMigrations: await requiredVersions(migrations), mediaStore, ...(webRoot ? { webRoot } : {}) });
  await app.listen({ host: '127.0.0.1', port });
  return { app, mediaStore, base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}
