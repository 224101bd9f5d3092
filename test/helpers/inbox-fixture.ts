import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { encryptSecret } from '../../src/hub/crypto.js';
import { graphMedia } from '../../src/hub/media/graph-media.js';
import { graphSender } from '../../src/hub/outbox/graph.js';
import { mediaPreparer } from '../../src/hub/outbox/media-payload.js';
import { outboxTask } from '../../src/hub/outbox/worker-task.js';
import { createLogger } from '../../src/log.js';
import type { TestDatabase } from './db.js';
import { fakeGraph } from './fake-graph.js';
import { APP_SECRET, signedPost, statusChange, textChange, webhookBody } from './meta.js';
import { one } from './sql.js';
import { passwordUser, webServer } from './web-server.js';

export const PASSWORD = 'correct horse battery';

/** The Meta app of Embedded Signup in the fixture (the SDK is faked in the browser, Graph on loopback). */
export const SIGNUP_APP = { appId: '1234567890', configId: '5556667778' };

/**
 * A workspace as a support team has it: two members with passwords, two connections (numbers A
 * and B, tokens encrypted), some threads, the web server, the outbox worker sending to a fake
 * Graph on loopback, and a helper that POSTs signed webhooks.
 */
export async function inboxFixture(db: TestDatabase) {
  const key = randomBytes(32);
  const graph = await fakeGraph();
  const agentA = { email: 'ani@inbox.example', id: await passwordUser(db, 'ani@inbox.example', PASSWORD) };
  const agentB = { email: 'budi@inbox.example', id: await passwordUser(db, 'budi@inbox.example', PASSWORD) };
  const ws = (await one<{ id: string }>(db.pool, 'insert into workspaces (slug, name) values (\'toko-maju\', \'Toko Maju\') returning id')).id;
  const otherWs = (await one<{ id: string }>(db.pool, 'insert into workspaces (slug, name) values (\'lain\', \'Lain\') returning id')).id;
  await db.pool.query('insert into workspace_memberships (workspace_id, user_id, role) values ($1, $2, \'owner\'), ($1, $3, \'agent\')', [ws, agentA.id, agentB.id]);
  const connection = async (workspaceId: string, pnid: string, display: string) =>
    (await one<{ id: string }>(db.pool,
      'insert into wa_phone_numbers (workspace_id, phone_number_id, display_phone_number, display_name, access_token_enc) values ($1, $2, $3, $4, $5) returning id',
      [workspaceId, pnid, display, `Number ${pnid}`, encryptSecret(key, `token-${pnid}`)])).id;
  const connA = await connection(ws, 'PN-A', '+62 811 0001');
  const connB = await connection(ws, 'PN-B', '+62 811 0002');
  await connection(otherWs, 'PN-OTHER', '+62 811 0009');
  const server = await webServer(db, {
    META_APP_SECRET: APP_SECRET, SEND_RATE_LIMIT: '1000', WABASE_ENCRYPTION_KEY: key.toString('base64'), META_GRAPH_BASE_URL: graph.url,
    META_APP_ID: SIGNUP_APP.appId, META_CONFIG_ID: SIGNUP_APP.configId,
  });

  const task = outboxTask({
    pool: db.pool, url: db.url, sender: graphSender(graph.url, 'v21.0'), encryptionKey: key,
    logger: createLogger('silent'), maxAttempts: 3, perConnectionPerSecond: 1000, pollMs: 100,
    media: mediaPreparer({ pool: db.pool, store: server.ctx.mediaStore, graph: graphMedia({ baseUrl: graph.url, version: 'v21.0' }) }),
  });
  const controller = new AbortController();
  // The test database's pool ends before this file's later after-hooks run: a round of the
  // worker that meets the ended pool at teardown is not a failure of the test.
  const running = task.run(controller.signal).catch((error: unknown) => {
    if (!controller.signal.aborted && !/pool after calling end/.test(String(error))) throw error;
  });
  after(async () => {
    controller.abort();
    await running;
  });

  /** POSTs one signed webhook to the server, as Meta would. */
  const webhook = async (...changes: unknown[]) => {
    const post = signedPost(webhookBody(...changes));
    const res = await fetch(`${server.url}${post.url}`, { method: 'POST', headers: post.headers, body: post.payload });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  };
  const inbound = (pnid: string, from: string, text: string, wamid?: string, name?: string) => webhook(textChange(pnid, from, text, wamid, name));
  const status = (pnid: string, wamid: string, value: string) => webhook(statusChange(pnid, wamid, value));

  return { key, graph, agentA, agentB, ws, otherWs, connA, connB, server, webhook, inbound, status, inboxUrl: `/dashboard/meta-hub/whatsapp/${ws}` };
}
