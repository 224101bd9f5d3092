import path from 'node:path';
import { testApp } from './app.js';
import { freePort } from './free-port.js';
import { tempDir } from './tmp.js';
import type { TestDatabase } from './db.js';
import { passwordUser as confirmedUser } from './local-auth.js';

export const WEB_ROOT = path.resolve('web', 'dist');

/** The app (API and the built web app) listening on a free loopback port; closed when the file ends. */
export async function webServer(db: TestDatabase, env: Record<string, string> = {}) {
  const home = tempDir('wabase-web-home-');
  // Signed media URLs point at this server itself.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { app, ctx } = await testApp(db, { OPS_WRITE_RATE_LIMIT: '100000', WABASE_HOME: home, PUBLIC_BASE_URL: url, ...env }, { webRoot: WEB_ROOT });
  await app.listen({ host: '127.0.0.1', port });
  return { app, ctx, url, home };
}

/** A confirmed user with a password (as `wabase user add` makes one); a platform admin row too with `admin`. */
export async function passwordUser(db: TestDatabase, email: string, password: string, options: { admin?: boolean } = {}): Promise<string> {
  const id = await confirmedUser(db, email, password);
  if (options.admin) await db.pool.query('insert into platform_admins (user_id, email) values ($1, lower($2)) on conflict do nothing', [id, email]);
  return id;
}
