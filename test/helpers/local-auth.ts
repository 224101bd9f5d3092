import { AuthClient, type GoTrueClient } from '@supabase/auth-js';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../src/auth/passwords.js';
import { upsertUser } from '../../src/auth/users.js';
import type { AppContext } from '../../src/http/context.js';
import { type TestDatabase } from './db.js';
import { testApp } from './app.js';
import { tempDir } from './tmp.js';

export interface LocalAuthApp {
  app: FastifyInstance;
  ctx: AppContext;
  /** http://127.0.0.1:<port> */
  origin: string;
  home: string;
  anonKey: string;
  /** A fresh, unmodified auth-js client pointed at this app as the SPA points it. */
  client(): GoTrueClient;
}

/**
 * The app listening on loopback with wabase's own auth (WABASE_HOME in a temp dir), and auth-js
 * set up from GET /api/auth/settings exactly as the browser does it.
 */
export async function localAuthApp(db: TestDatabase, env: Record<string, string> = {}, options: { logLines?: string[] } = {}): Promise<LocalAuthApp> {
  const home = tempDir('wabase-auth-home-');
  const { app, ctx } = await testApp(db, { WABASE_HOME: home, ...env }, options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const settings = (await (await fetch(`${origin}/api/auth/settings`)).json()) as { url: string | null; anonKey: string };
  return {
    app,
    ctx,
    origin,
    home,
    anonKey: settings.anonKey,
    client: () =>
      new AuthClient({
        url: `${settings.url ?? origin}/auth/v1`,
        headers: { apikey: settings.anonKey },
        persistSession: false,
        autoRefreshToken: false,
        detectSessionInUrl: false,
      }),
  };
}

/** A confirmed user with a password, as `wabase user add` makes one. */
export async function passwordUser(db: TestDatabase, email: string, password: string): Promise<string> {
  return (await upsertUser(db.pool, email, { passwordHash: await hashPassword(password), confirmed: true })).user.id;
}
