// Issue 16, the HTTP classes: secrets out of logs, unsigned webhooks, framework errors, auth before
// work, token subjects, proxies, slow bodies, overload as 503, bounded payloads, reused keys.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { mintAccessToken } from '../../src/auth/jwt.js';
import { parseConfig } from '../../src/config.js';
import { createPool } from '../../src/db/pool.js';
import { sign } from '../../src/hub/webhook/signature.js';
import { TEST_JWT_SECRET, testApp, testJwtKey, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { APP_SECRET, signedPost, textChange, webhookBody } from '../helpers/meta.js';
import { createWorkspace, one } from '../helpers/sql.js';

describe('HTTP hardening', async () => {
  const db = await freshDatabase();
  const logLines: string[] = [];
  const admin = await testUser(db, 'admin@hardening.example');
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [admin.id, admin.email]);
  const env = { META_APP_SECRET: APP_SECRET, META_WEBHOOK_VERIFY_TOKEN: 'verify-token-SECRET-4711', OPS_ADMIN_EMAILS: admin.email, OPS_WRITE_RATE_LIMIT: '100000' };
  const { app } = await testApp(db, env, { logLines });
  const ws = await createWorkspace(db.pool, 'hardening', [admin.id]);
  const bearer = { authorization: `Bearer ${admin.token}` };
  /** Every secret a test below sends; none may appear in a log line. */
  const secrets = new Set<string>(['verify-token-SECRET-4711', admin.token, APP_SECRET]);

  it('secrets in URLs never reach the request log: hub.verify_token, a signed URL token, OAuth code and state', async () => {
    await app.inject({ method: 'GET', url: '/api/webhooks/meta/whatsapp?hub.mode=subscribe&hub.verify_token=verify-token-SECRET-4711&hub.challenge=42' });
    const inUrl: [string, string][] = [['token', 'signed-url-token-SECRET-1'], ['code', 'oauth-code-SECRET-2'], ['state', 'oauth-state-SECRET-3'], ['access_token', 'at-SECRET-4'], ['apikey', 'apikey-SECRET-5'], ['X-Amz-Signature', 'amz-SECRET-6']];
    for (const [name, value] of inUrl) {
      secrets.add(value);
      await app.inject({ method: 'GET', url: `/storage/v1/object/sign/wa-media/a.jpg?x=1&${name}=${value}` });
    }
    const log = logLines.join('\n');
    assert.match(log, /hub\.verify_token=\[redacted\]/);
    assert.match(log, /x=1&token=\[redacted\]/, 'other parameters are kept');
    for (const secret of secrets) assert.ok(!log.includes(secret), `a log line holds ${secret}`);
  });

  it('unsigned webhook POSTs are refused unless META_WEBHOOK_ALLOW_UNSIGNED (development only); the signature header is parsed strictly', async () => {
    const body = JSON.stringify(webhookBody(textChange('PN-NONE', '6281', 'forged')));
    const post = (target = app, headers: Record<string, string> = {}) =>
      target.inject({ method: 'POST', url: '/api/webhooks/meta/whatsapp', headers: { 'content-type': 'application/json', ...headers }, payload: body });
    assert.equal((await post()).statusCode, 401, 'no signature with a secret set');
    const good = sign(body, APP_SECRET);
    for (const bad of [`${good}00`, ` ${good}`, `${good} `, `sha256=${good.slice(7, 70)}`, good.replace('sha256=', 'sha1='), `sha256=${'z'.repeat(64)}`]) {
      const res = await post(app, { 'x-hub-signature-256': bad });
      assert.equal(res.statusCode, 401, bad);
      assert.equal(res.json().error.code, 'invalid_signature');
    }
    assert.equal((await post(app, { 'x-hub-signature-256': good })).statusCode, 200);

    const noSecret = (await testApp(db, {})).app;
    const refused = await post(noSecret);
    assert.equal(refused.statusCode, 401);
    assert.match(refused.json().error.message, /META_APP_SECRET is not set/);
    const dev = (await testApp(db, { META_WEBHOOK_ALLOW_UNSIGNED: '1' })).app;
    assert.equal((await post(dev)).statusCode, 200, 'opted in for development');
    assert.throws(() => parseConfig({ NODE_ENV: 'production', META_APP_SECRET: APP_SECRET, META_WEBHOOK_ALLOW_UNSIGNED: '1' }), /META_WEBHOOK_ALLOW_UNSIGNED: not allowed in production/);
  });

  it('framework errors use the one error shape, a request id and the security headers, and never echo the URL', async () => {
    const normal = await app.inject({ method: 'GET', url: '/api/nope' });
    const res = await app.inject({ method: 'GET', url: '/api/ops/%E0%A4%A?token=echo-SECRET-7' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { error: { code: 'invalid_url', message: 'The URL is malformed (bad percent-encoding)' } });
    assert.ok(res.headers['x-request-id']);
    assert.ok(!res.body.includes('echo-SECRET-7'));
    for (const header of ['x-content-type-options', 'x-frame-options', 'strict-transport-security', 'content-security-policy', 'referrer-policy', 'cross-origin-resource-policy']) {
      assert.ok(normal.headers[header], `helmet sends ${header}`);
      assert.ok(res.headers[header], `a framework error sends ${header} too`);
    }
    // Documented values stay usable: a 120-character entitlement key is validated like any other (no 414).
    const key = 'k'.repeat(120);
    const enable = await app.inject({ method: 'POST', url: `/api/ops/workspaces/${ws}/entitlements/${key}/enable`, headers: bearer, payload: {} });
    assert.equal(enable.statusCode, 200, enable.body);
    const long = await app.inject({ method: 'POST', url: `/api/ops/workspaces/${ws}/entitlements/${'k'.repeat(121)}/enable`, headers: bearer, payload: {} });
    assert.equal(long.statusCode, 400);
    assert.match(long.json().error.message, /^params\.key: /);
    const absurd = await app.inject({ method: 'GET', url: `/api/ops/workspaces/${'x'.repeat(300)}` });
    assert.equal(absurd.statusCode, 414);
    assert.equal(absurd.json().error.code, 'path_too_long');
  });

  it('an unauthenticated request gets 401 before its body is parsed or validated', async () => {
    const huge = JSON.stringify({ workspaceId: 'not-a-uuid', text: 'x'.repeat(2_900_000) });
    for (const url of ['/api/meta/whatsapp/send-text', `/api/ops/workspaces/${ws}/tokens/grant`]) {
      const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: huge });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.json().error.code, 'missing_token');
    }
    const broken = await app.inject({ method: 'POST', url: '/api/meta/whatsapp/send-text', headers: { 'content-type': 'application/json' }, payload: '{not json' });
    assert.equal(broken.statusCode, 401, 'not 400 invalid_json');
  });

  it('a validly signed JWT whose sub is not a uuid is a 401, not a 400 or 500', async () => {
    for (const sub of ['admin', '1 or 1=1', '', '00000000-0000-0000-0000-00000000000g']) {
      const token = await mintAccessToken(testJwtKey, { sub, email: admin.email });
      secrets.add(token);
      const res = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.statusCode, 401, sub);
      assert.equal(res.json().error.code, 'invalid_token');
    }
  });

  it('X-Forwarded-For is believed only from proxies TRUST_PROXY names (default none)', async () => {
    const remoteAddress = async (extra: Record<string, string>) => {
      const lines: string[] = [];
      const { app: listening } = await testApp(db, extra, { logLines: lines });
      const origin = await listening.listen({ host: '127.0.0.1', port: 0 });
      await fetch(`${origin}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      return /"remoteAddress":"([^"]+)"/.exec(lines.join(''))?.[1];
    };
    assert.equal(await remoteAddress({}), '127.0.0.1', 'a spoofed header is ignored by default');
    assert.equal(await remoteAddress({ TRUST_PROXY: '1' }), '203.0.113.9', 'one trusted hop: the client behind it');
    assert.equal(await remoteAddress({ TRUST_PROXY: '10.0.0.1' }), '127.0.0.1', 'a proxy address that is not ours');
    assert.throws(() => parseConfig({ TRUST_PROXY: 'yes please' }), /TRUST_PROXY/);
  });

  it('a body sent too slowly is cut off (REQUEST_TIMEOUT_SECONDS)', async () => {
    const slow = (await testApp(db, { REQUEST_TIMEOUT_SECONDS: '1' })).app;
    await slow.listen({ host: '127.0.0.1', port: 0 });
    const port = (slow.server.address() as net.AddressInfo).port;
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write('POST /api/webhooks/meta/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
      });
      let received = '';
      const drip = setInterval(() => socket.write(' '), 300);
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => {
        clearInterval(drip);
        resolve(received);
      });
    });
    assert.ok(Date.now() - started < 5000, `held ${Date.now() - started} ms`);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  it('overload degrades: no pool connection within the wait, or a lock held past lock_timeout, is 503 database_busy with Retry-After', async () => {
    const config = parseConfig({ DATABASE_URL: db.url, SUPABASE_JWT_SECRET: TEST_JWT_SECRET, DB_POOL_ACQUIRE_TIMEOUT_MS: '200', DB_LOCK_TIMEOUT_MS: '200' });
    const memberPool = createPool(db.url, { max: 1, acquireTimeoutMs: config.database.acquireTimeoutMs, limits: config.database });
    after(() => memberPool.end());
    const busy = (await testApp(db, { ...env, DB_POOL_ACQUIRE_TIMEOUT_MS: '200', DB_LOCK_TIMEOUT_MS: '200' }, { pool: memberPool })).app;
    await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-BUSY-2\')', [ws]);
    const thread = (await one<{ id: string }>(db.pool, 'insert into wa_threads (workspace_id, phone_number_id, contact_wa_id, customer_window_expires_at) values ($1, \'PN-BUSY\', \'6289\', now() + interval \'1 day\') returning id', [ws])).id;

    // A lock another transaction holds (say a long ingest) on the thread being changed.
    const holder = await db.pool.connect();
    await holder.query('begin');
    await holder.query('select 1 from wa_threads where id = $1 for update', [thread]);
    const locked = await busy.inject({ method: 'PATCH', url: `/api/meta/whatsapp/threads/${thread}`, headers: bearer, payload: { status: 'closed' } });
    assert.equal(locked.statusCode, 503, locked.body);
    assert.equal(locked.json().error.code, 'database_busy');
    assert.ok(Number(locked.headers['retry-after']) >= 1);

    // Every member connection taken: the next member request waits 200 ms, then 503 (not a 500 after 10 s).
    const taken = await memberPool.connect();
    const started = Date.now();
    const starved = await busy.inject({ method: 'GET', url: `/api/meta/whatsapp/threads?workspaceId=${ws}`, headers: bearer });
    assert.equal(starved.statusCode, 503, starved.body);
    assert.equal(starved.json().error.code, 'database_busy');
    assert.ok(Date.now() - started < 2000);
    // Webhook ingest runs on the service pool, which member requests cannot exhaust.
    const ingest = await busy.inject(signedPost(webhookBody(textChange('PN-BUSY-2', '6290', 'still stored'))));
    assert.equal(ingest.statusCode, 200, ingest.body);
    assert.equal(ingest.json().stored, 1);
    taken.release();
    await holder.query('rollback');
    holder.release();
  });

  it('entitlement payloads are bounded: 64 kB and 32 levels by default, with a message naming payload', async () => {
    const url = `/api/ops/workspaces/${ws}/entitlements/big_payload/payload`;
    const large = await app.inject({ method: 'PUT', url, headers: bearer, payload: { payload: { blob: 'x'.repeat(70 * 1024) } } });
    assert.equal(large.statusCode, 400);
    assert.match(large.json().error.message, /^payload: at most 65536 bytes/);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const nested = await app.inject({ method: 'PUT', url, headers: bearer, payload: { payload: deep } });
    assert.equal(nested.statusCode, 400);
    assert.match(nested.json().error.message, /^payload: at most 32 levels/);
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from workspace_entitlements where key = \'big_payload\'')).n, 0, 'nothing half-applied');
    assert.equal((await app.inject({ method: 'PUT', url, headers: bearer, payload: { payload: { tier: 'beta' } } })).statusCode, 200);
  });

  it('a reused key with different content is 409 idempotency_key_reused naming what differs; the same content answers as before', async () => {
    const grant = (path: 'grant' | 'deduct', body: object) => app.inject({ method: 'POST', url: `/api/ops/workspaces/${ws}/tokens/${path}`, headers: bearer, payload: body });
    assert.equal((await grant('grant', { amount: 100, reason: 'Reused key', referenceId: 'ref-reuse-1' })).json().applied, true);
    const replay = await grant('grant', { amount: 100, reason: 'Reused key', referenceId: 'ref-reuse-1' });
    assert.equal(replay.statusCode, 200);
    assert.equal(replay.json().applied, false);
    const other = await grant('grant', { amount: 250, reason: 'Reused key', referenceId: 'ref-reuse-1' });
    assert.equal(other.statusCode, 409);
    assert.equal(other.json().error.code, 'idempotency_key_reused');
    assert.match(other.json().error.message, /amount \(it was 100\)/);
    const deduct = await grant('deduct', { amount: 100, reason: 'Reused key', referenceId: 'ref-reuse-1' });
    assert.equal(deduct.statusCode, 409);
    assert.match(deduct.json().error.message, /direction \(it was a grant\)/);
    assert.equal((await one<{ b: number }>(db.pool, 'select balance as b from workspace_token_balance where workspace_id = $1', [ws])).b, 100);

    const conn = (await one<{ id: string }>(db.pool, 'insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-KEY\') returning id', [ws])).id;
    const thread = (await one<{ id: string }>(db.pool, 'insert into wa_threads (workspace_id, connection_id, phone_number_id, contact_wa_id, customer_window_expires_at) values ($1, $2, \'PN-KEY\', \'6291\', now() + interval \'1 day\') returning id', [ws, conn])).id;
    const send = (text: string) => app.inject({ method: 'POST', url: '/api/meta/whatsapp/send-text', headers: bearer, payload: { workspaceId: ws, threadId: thread, text, idempotencyKey: 'compose-1' } });
    const first = await send('Hello');
    assert.equal(first.statusCode, 202, first.body);
    assert.equal((await send('Hello')).json().messageId, first.json().messageId);
    const changed = await send('Hello, different');
    assert.equal(changed.statusCode, 409);
    assert.equal(changed.json().error.code, 'idempotency_key_reused');
    assert.match(changed.json().error.message, /differs in text/);
  });

  it('no secret, token or signed URL any test here used appears in the server log', () => {
    const log = logLines.join('\n');
    assert.ok(log.length > 0, 'the log captured lines');
    for (const secret of secrets) assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 12)}…`);
  });
});
