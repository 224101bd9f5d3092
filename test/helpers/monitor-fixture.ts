import { MonitorSession } from '../../src/monitor/session/runner.js';
import { testApp } from './app.js';
import type { TestDatabase } from './db.js';
import { fakeConnector } from './fake-wa.js';
import { freePort } from './free-port.js';
import { passwordUser } from './local-auth.js';
import { serverLogger } from './run-log.js';
import { tempDir } from './tmp.js';
import { WEB_ROOT } from './web-server.js';

export const MONITOR_PASSWORD = 'correct horse battery';

/**
 * The group monitor as an owner runs it: the web server (its signed media URLs pointing at
 * itself), the worker's WhatsApp session in this process on the scripted Baileys fake, an owner
 * and a viewer with passwords. `env` overrides the server's (SIGNED_URL_TTL_DAYS, …).
 */
export async function monitorFixture(db: TestDatabase, env: Record<string, string> = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { app, ctx } = await testApp(db, {
    WABASE_HOME: tempDir('wabase-monitor-home-'), PUBLIC_BASE_URL: url, MONITOR_FLAG_INTERVAL_SECONDS: '3', ...env,
  }, { webRoot: WEB_ROOT });
  await app.listen({ host: '127.0.0.1', port });
  const owner = { email: 'owner@monitor.example', id: await passwordUser(db, 'owner@monitor.example', MONITOR_PASSWORD) };
  const viewer = { email: 'viewer@monitor.example', id: await passwordUser(db, 'viewer@monitor.example', MONITOR_PASSWORD) };
  await db.pool.query(`insert into owner_members (user_id, email, role) values ($1, $2, 'owner'), ($3, $4, 'viewer')`, [owner.id, owner.email, viewer.id, viewer.email]);

  const fake = fakeConnector();
  const controller = new AbortController();
  const session = new MonitorSession({
    pool: db.pool, store: ctx.mediaStore, connector: fake.connector, logger: serverLogger(), mediaMaxBytes: 5_000_000,
    reconnectBaseMs: 50, reconnectMaxMs: 200, flagPollMs: 1000,
  });
  const running = session.run(controller.signal);
  /**
   * Stops the worker's session. Call it from the file's last test: after-hooks run in the order
   * they were registered, so the database's (registered first) would end the pool while the
   * session's LISTEN still holds a client, and wait for it forever.
   */
  const stop = async () => {
    controller.abort();
    await running;
  };
  return { app, ctx, url, owner, viewer, fake, stop };
}

/** Polls `probe` until it is truthy. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
