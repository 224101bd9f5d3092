// Issue 16, what held: every rate limit answers 429 with a Retry-After a client can wait for, and
// the refused request does nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { localAuthApp, passwordUser } from '../helpers/local-auth.js';
import { createWorkspace, one } from '../helpers/sql.js';

/**
 * Limits count in fixed windows: a test that straddled a window's end would see its count reset.
 * Waits for the next window when fewer than 8 seconds of this one are left.
 */
async function clearOfWindowEdge(windowSeconds: number): Promise<void> {
  const left = windowSeconds - ((Date.now() / 1000) % windowSeconds);
  if (left < 8) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 100));
}

/** 429, the API's error shape, and a whole number of seconds within the window. */
function limited(res: LightMyRequestResponse, windowSeconds: number, what: string) {
  assert.equal(res.statusCode, 429, `${what}: ${res.body}`);
  assert.equal(res.json().error.code, 'rate_limited', what);
  const retryAfter = String(res.headers['retry-after']);
  assert.match(retryAfter, /^\d+$/, `${what}: Retry-After ${retryAfter}`);
  assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= windowSeconds, `${what}: Retry-After ${retryAfter}`);
}

describe('rate limits answer 429 with Retry-After', async () => {
  const db = await freshDatabase();
  const admin = await testUser(db, 'admin@limits.example');
  const otherAdmin = await testUser(db, 'other-admin@limits.example');
  const agent = await testUser(db, 'agent@limits.example');
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2), ($3, $4)', [admin.id, admin.email, otherAdmin.id, otherAdmin.email]);
  const { app } = await testApp(db, {
    OPS_ADMIN_EMAILS: `${admin.email},${otherAdmin.email}`, OPS_WRITE_RATE_LIMIT: '2', SEND_RATE_LIMIT: '2', MONITOR_FLAG_INTERVAL_SECONDS: '30',
  });
  const ws = await createWorkspace(db.pool, 'limits', [agent.id]);
  const as = (user: { token: string }, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${user.token}` }, ...(payload ? { payload } : {}) });
  const count = async (sql: string) => (await one<{ n: number }>(db.pool, sql, [ws])).n;

  it('send-text: the third message in a minute is refused and queues nothing', async () => {
    await clearOfWindowEdge(60);
    const conn = (await one<{ id: string }>(db.pool, 'insert into wa_phone_numbers (workspace_id, phone_number_id, access_token_enc) values ($1, \'PN-LIM\', \'enc\') returning id', [ws])).id;
    const thread = (await one<{ id: string }>(db.pool, 'insert into wa_threads (workspace_id, connection_id, phone_number_id, contact_wa_id, customer_window_expires_at) values ($1, $2, \'PN-LIM\', \'6281\', now() + interval \'1 day\') returning id', [ws, conn])).id;
    const send = (text: string) => as(agent, 'POST', '/api/meta/whatsapp/send-text', { workspaceId: ws, threadId: thread, text });
    assert.equal((await send('one')).statusCode, 202);
    assert.equal((await send('two')).statusCode, 202);
    limited(await send('three'), 60, 'send-text');
    assert.equal(await count('select count(*)::int as n from outbox_messages where workspace_id = $1'), 2);
    assert.equal(await count('select count(*)::int as n from wa_messages where workspace_id = $1'), 2);
  });

  it('ops writes: the third write of an admin in a minute is refused and changes nothing; another admin is not held back', async () => {
    await clearOfWindowEdge(60);
    const grant = (user: { token: string }) => as(user, 'POST', `/api/ops/workspaces/${ws}/tokens/grant`, { amount: 10, reason: 'limit test' });
    assert.equal((await grant(admin)).statusCode, 200);
    assert.equal((await as(admin, 'POST', `/api/ops/workspaces/${ws}/entitlements/meta_hub/enable`, {})).statusCode, 200);
    limited(await grant(admin), 60, 'ops grant');
    limited(await as(admin, 'POST', `/api/ops/workspaces/${ws}/entitlements/meta_hub/disable`, {}), 60, 'ops disable');
    assert.equal(await count('select balance::int as n from workspace_token_balance where workspace_id = $1'), 10);
    assert.equal(await count('select count(*)::int as n from workspace_entitlements where workspace_id = $1 and enabled'), 1);
    assert.equal((await grant(otherAdmin)).statusCode, 200);
    assert.equal((await as(admin, 'GET', `/api/ops/workspaces/${ws}`)).statusCode, 200, 'reads are not limited');
  });

  it('monitor worker requests: the same one again within the interval is refused; its flag keeps the first time', async () => {
    await db.pool.query('insert into owner_members (user_id, email, role) values ($1, $2, \'owner\')', [agent.id, agent.email]);
    for (const url of ['/api/monitor/wa/refresh-qr', '/api/monitor/wa/disconnect', '/api/monitor/fetch-groups-now']) {
      await clearOfWindowEdge(30);
      const first = await as(agent, 'POST', url);
      assert.equal(first.statusCode, 202, first.body);
      limited(await as(agent, 'POST', url), 30, url);
      const flag = await one<{ at: string }>(db.pool, 'select value->>\'at\' as at from runtime_flags where key = $1', [first.json().key]);
      assert.ok(Math.abs(Date.parse(flag.at) - Date.parse(first.json().at)) < 1, `${url}: the flag was rewritten`);
    }
  });
});

/** An app with wabase's own sign-in and low limits; no TRUST_PROXY, so a client's X-Forwarded-For is not believed. */
async function signIn() {
  const db = await freshDatabase();
  const auth = await localAuthApp(db, { AUTH_LOGIN_RATE_LIMIT_PER_EMAIL: '3', AUTH_LOGIN_RATE_LIMIT_PER_IP: '5' });
  await passwordUser(db, 'erin@limits.example', 'erin-password');
  return (email: string, password: string, forwardedFor: string) =>
    fetch(`${auth.origin}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { 'x-supabase-api-version': '2024-01-01', 'apikey': auth.anonKey, 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email, password }),
    });
}

/** GoTrue's 429: over_request_rate_limit, with a Retry-After (a sliding minute: failures keep counting into the next one, so under 120 s). */
async function assertLimited(res: Response, what: string) {
  assert.equal(res.status, 429, what);
  assert.match(res.headers.get('retry-after') ?? '', /^\d+$/, what);
  assert.ok(Number(res.headers.get('retry-after')) >= 1 && Number(res.headers.get('retry-after')) < 120, what);
  assert.equal(((await res.json()) as { code: string }).code, 'over_request_rate_limit', what);
}

describe('auth login: failed sign-ins answer 429 with Retry-After', () => {
  it('per email: the fourth failure in a minute is a 429, even with the right password', async () => {
    // No wait for a fresh minute: the limit slides, so a minute boundary inside the burst changes nothing.
    const attempt = await signIn();
    for (let i = 0; i < 3; i++) assert.equal((await attempt('erin@limits.example', 'wrong', `198.51.100.${i}`)).status, 400);
    await assertLimited(await attempt('erin@limits.example', 'erin-password', '198.51.100.9'), 'per email');
  });

  it('per client address: a forged X-Forwarded-For on every try still counts against the real address', async () => {
    // No wait for a fresh minute: the limit slides, so a minute boundary inside the burst changes nothing.
    const attempt = await signIn();
    for (let i = 0; i < 5; i++) assert.equal((await attempt(`guess${i}@limits.example`, 'wrong', `203.0.113.${i}`)).status, 400);
    await assertLimited(await attempt('erin@limits.example', 'erin-password', '203.0.113.77'), 'per address');
  });
});
