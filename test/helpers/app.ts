import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { mintAccessToken } from '../../src/auth/jwt.js';
import { parseConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { AppContext } from '../../src/http/context.js';
import { createLogger } from '../../src/log.js';
import { projectPaths } from '../../src/migrate/files.js';
import { requiredVersions } from '../../src/migrate/status.js';
import { createMediaStore } from '../../src/storage/create.js';
import { watchCredentials } from './app-credentials.js';
import { serverLogDestination, serverLogger } from './run-log.js';
import { registerSecret } from './secrets.js';
import { tempDir } from './tmp.js';
import type { TestDatabase } from './db.js';

/**
 * A logger as production makes it (the same redaction), writing to the run's log folder; with
 * `lines`, at info and into `lines` as well, for tests that check what was logged.
 */
function appLogger(lines?: string[]) {
  const file = serverLogDestination();
  if (!lines) return serverLogger();
  const capture = { write: (line: string) => void lines.push(line) };
  return createLogger('info', 'wabase', 'json', file ? pino.multistream([{ stream: capture, level: 'info' }, { stream: file, level: 'info' }]) : capture);
}

/** Env values that are secrets: registered for the run's log grep (test/helpers/secrets.ts). */
const SECRET_ENV = /SECRET|TOKEN|PASSWORD|ENCRYPTION_KEY|SERVICE_ROLE_KEY/;

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const testJwtKey = new TextEncoder().encode(TEST_JWT_SECRET);

/** The app over a test database, with the test JWT secret; closed when the file ends. */
export async function testApp(
  db: TestDatabase,
  env: Record<string, string> = {},
  /** `pool`: the member pool (default the test database's); webhook ingest keeps the test database's own. */
  options: { logLines?: string[]; webRoot?: string; pool?: import('../../src/db/pool.js').Pool } = {},
): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  const config = parseConfig({
    DATABASE_URL: db.url,
    SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
    NODE_ENV: 'test',
    STORAGE_LOCAL_DIR: tempDir('wabase-storage-'),
    ...env,
  });
  const requiredMigrations = await requiredVersions(projectPaths().migrations);
  const ctx: AppContext = {
    config,
    pool: options.pool ?? db.pool,
    servicePool: db.pool,
    logger: appLogger(options.logLines),
    jwtKey: testJwtKey,
    requiredMigrations,
    mediaStore: await createMediaStore(config.storage, testJwtKey),
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
  };
  for (const [name, value] of Object.entries({ SUPABASE_JWT_SECRET: TEST_JWT_SECRET, ...env })) {
    if (SECRET_ENV.test(name)) registerSecret(value, name);
  }
  const app = await buildApp(ctx);
  watchCredentials(app);
  after(() => app.close());
  return { app, ctx };
}

/** Creates an auth.users row and returns its id and a bearer token for it. */
export async function testUser(
  db: TestDatabase,
  email: string,
): Promise<{ id: string; token: string; email: string }> {
  const result = await db.pool.query<{ id: string }>(
    'insert into auth.users (email) values ($1) on conflict (lower(email)) do update set email = excluded.email returning id',
    [email],
  );
  const id = result.rows[0]!.id;
  const token = await mintAccessToken(testJwtKey, { sub: id, email });
  registerSecret(token, 'access token (testUser)');
  return { id, email, token };
}
