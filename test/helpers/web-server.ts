import path from 'node:path';
import { after } from 'node:test';
import bcrypt from 'bcryptjs';
import { testApp } from './app.js';
import type { TestDatabase } from './db.js';

export const WEB_ROOT = path.resolve('web', 'dist');

/** The app (API and the built web app) listening on a free loopback port; closed when the file ends. */
export async function webServer(db: TestDatabase, env: Record<string, string> = {}) {
  const { app, ctx } = await testApp(db, { OPS_WRITE_RATE_LIMIT: '100000', ...env }, { webRoot: WEB_ROOT });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  after(() => app.close());
  return { app, ctx, url: address };
}

/** A user who signs in with a password (bcrypt, as GoTrue stores it); a platform admin with `admin`. */
export async function passwordUser(db: TestDatabase, email: string, password: string, options: { admin?: boolean } = {}): Promise<string> {
  const hash = await bcrypt.hash(password, 4);
  const user = await db.pool.query<{ id: string }>(
    `insert into auth.users (email, encrypted_password, email_confirmed_at, aud, role)
     values ($1, $2, now(), 'authenticated', 'authenticated')
     on conflict (lower(email)) do update set encrypted_password = excluded.encrypted_password returning id`,
    [email, hash],
  );
  const id = user.rows[0]!.id;
  if (options.admin) await db.pool.query('insert into platform_admins (user_id, email) values ($1, lower($2)) on conflict do nothing', [id, email]);
  return id;
}
