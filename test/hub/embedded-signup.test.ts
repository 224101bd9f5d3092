// Issue 13, "Connecting WhatsApp numbers", Meta Embedded Signup: the server's steps against the
// fake Graph on loopback, each one failing and the retry resuming, and the state's binding.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { decryptSecret } from '../../src/hub/crypto.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeGraph, GRAPH_STEPS } from '../helpers/fake-graph.js';
import { APP_SECRET } from '../helpers/meta.js';
import { asAnon, asUser, createWorkspace, one } from '../helpers/sql.js';

const BASE = '/api/meta/whatsapp/signup';
const STEPS = ['exchange', 'subscribe', 'register', 'details'] as const;

describe('Meta Embedded Signup', async () => {
  const db = await freshDatabase();
  const graph = await fakeGraph();
  const logLines: string[] = [];
  const key = randomBytes(32);
  const env = {
    META_APP_ID: '1234567890', NEXT_PUBLIC_META_CONFIG_ID: '5556667778', META_APP_SECRET: APP_SECRET,
    META_GRAPH_BASE_URL: graph.url, WABASE_ENCRYPTION_KEY: key.toString('base64'), PUBLIC_BASE_URL: 'https://inbox.example.com',
  };
  const { app } = await testApp(db, env, { logLines });
  const [owner, admin, agent, outsider] = await Promise.all(['owner', 'admin', 'agent', 'outsider'].map((name) => testUser(db, `${name}@signup.example`)));
  const ws = await createWorkspace(db.pool, 'signup-ws');
  const otherWs = await createWorkspace(db.pool, 'signup-other');
  for (const [user, role] of [[owner!, 'owner'], [admin!, 'admin'], [agent!, 'agent']] as const) {
    await db.pool.query('insert into workspace_memberships (workspace_id, user_id, role) values ($1, $2, $3)', [ws, user.id, role]);
  }

  /** Every code and secret sent, and every state issued: none may reach a log line, and no code or secret a response. */
  const sent = new Set<string>([APP_SECRET]);
  const states = new Set<string>();
  const bodies: string[] = [];
  const call = async (method: 'GET' | 'POST', url: string, user: { token: string } | null, payload?: object): Promise<LightMyRequestResponse> => {
    const res = await app.inject({ method, url, headers: user ? { authorization: `Bearer ${user.token}` } : {}, ...(payload ? { payload } : {}) });
    bodies.push(res.body);
    return res;
  };
  // Starts are limited to 20 a minute per user (tested below); this file starts more than that.
  const resetStartLimit = () => db.pool.query('delete from rate_limit_counters where key like \'signup-start:%\'');
  const start = async (user = owner!, workspaceId = ws, extra: object = {}) => {
    await resetStartLimit();
    const res = await call('POST', `${BASE}/start`, user, { workspaceId, ...extra });
    assert.equal(res.statusCode, 201, res.body);
    states.add(res.json().state);
    return res.json() as { attemptId: string; state: string; expiresAt: string };
  };
  let numbers = 0;
  const newNumber = () => ({ wabaId: `30000${++numbers}00`, phoneNumberId: `10654${numbers}0000` });
  const complete = (state: string, ids: { wabaId: string; phoneNumberId: string }, extra: Record<string, unknown> = {}, user = owner!) => {
    const body = { state, code: `code-${randomBytes(8).toString('hex')}`, pin: '246810', ...ids, ...extra };
    if (typeof body.code === 'string') sent.add(body.code);
    return call('POST', `${BASE}/complete`, user, body);
  };
  const callsFor = (ids: { wabaId: string; phoneNumberId: string }) => ({
    subscribe: graph.calls(GRAPH_STEPS.subscribe).filter((r) => r.path.includes(ids.wabaId)).length,
    register: graph.calls(GRAPH_STEPS.register).filter((r) => r.path.includes(ids.phoneNumberId)).length,
    details: graph.calls(GRAPH_STEPS.details).filter((r) => r.path.includes(ids.phoneNumberId)).length,
  });
  const exchanges = () => graph.calls(GRAPH_STEPS.exchange).length;

  it('settings tell the browser what the JS SDK needs, and no secret', async () => {
    const res = await call('GET', `${BASE}/settings`, null);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      enabled: true, appId: '1234567890', configId: '5556667778', graphVersion: 'v21.0', redirectUri: 'https://inbox.example.com/api/meta/oauth/callback',
    });
    const off = (await testApp(db, { WABASE_ENCRYPTION_KEY: env.WABASE_ENCRYPTION_KEY })).app;
    assert.deepEqual((await off.inject({ method: 'GET', url: `${BASE}/settings` })).json(), { enabled: false, appId: null, configId: null, graphVersion: 'v21.0', redirectUri: null });
    const refused = await off.inject({ method: 'POST', url: `${BASE}/start`, headers: { authorization: `Bearer ${owner!.token}` }, payload: { workspaceId: ws } });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'embedded_signup_disabled');
  });

  it('the whole flow: exchange, subscribe, register, details, store; the token encrypted, the attempt done, an audit row', async () => {
    const { state, attemptId, expiresAt } = await start();
    assert.ok(Math.abs(Date.parse(expiresAt) - Date.now() - 600_000) < 30_000, 'the state lasts ten minutes');
    const ids = newNumber();
    const before = graph.requests.length;
    const res = await complete(state, ids, { code: 'the-one-code-4711' });
    sent.add('the-one-code-4711');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.attemptId, attemptId);
    assert.equal(body.created, true);
    assert.equal(body.connection.phoneNumberId, ids.phoneNumberId);
    assert.equal(body.connection.wabaId, ids.wabaId);
    assert.equal(body.connection.displayPhoneNumber, `+62 812-${ids.phoneNumberId.slice(-4)}`);
    assert.equal(body.connection.displayName, `Toko ${ids.phoneNumberId.slice(-4)}`);
    assert.equal(body.connection.status, 'active');

    const calls = graph.requests.slice(before);
    assert.deepEqual(calls.map((r) => `${r.method} ${r.path.split('?')[0]}`), [
      'GET /v21.0/oauth/access_token', `POST /v21.0/${ids.wabaId}/subscribed_apps`, `POST /v21.0/${ids.phoneNumberId}/register`, `GET /v21.0/${ids.phoneNumberId}`,
    ]);
    const exchange = new URL(calls[0]!.path, 'http://x').searchParams;
    assert.deepEqual(Object.fromEntries(exchange), { client_id: '1234567890', client_secret: APP_SECRET, code: 'the-one-code-4711' }, 'no redirect_uri in the popup flow');
    assert.equal(calls[0]!.authorization, undefined);
    const token = decryptSecret(key, (await one<{ t: string }>(db.pool, 'select access_token_enc as t from wa_phone_numbers where id = $1', [body.connection.id])).t);
    sent.add(token);
    assert.match(token, /^EAAG-fake-business-token-/);
    for (const call of calls.slice(1)) assert.equal(call.authorization, `Bearer ${token}`);
    assert.deepEqual(calls[2]!.body, { messaging_product: 'whatsapp', pin: '246810' });

    const attempt = await one(db.pool, 'select step, access_token_enc, connection_id, completed_at is not null as done, last_error from wa_signup_attempts where id = $1', [attemptId]);
    assert.deepEqual(attempt, { step: 'done', access_token_enc: null, connection_id: body.connection.id, done: true, last_error: null });
    const audit = await one(db.pool, 'select action, actor_user_id, meta ->> \'via\' as via from owner_audit_log where target_id = $1', [body.connection.id]);
    assert.deepEqual(audit, { action: 'workspace.connection.signup_completed', actor_user_id: owner!.id, via: 'embedded_signup' });

    const replay = await complete(state, ids);
    assert.equal(replay.statusCode, 409);
    assert.equal(replay.json().error.code, 'signup_state_used');
    assert.equal(graph.requests.length, before + 4, 'a replay calls Graph for nothing');
  });

  for (const failing of STEPS) {
    it(`${failing} failing: 422 signup_step_failed with Meta's words and what to do; the retry resumes there`, async () => {
      const { state, attemptId } = await start();
      const ids = newNumber();
      graph.replyTo(GRAPH_STEPS[failing], graph.error(400, 131009, `(#131009) Parameter value is not valid at ${failing}`));
      const exchangesBefore = exchanges();
      const failed = await complete(state, ids);
      assert.equal(failed.statusCode, 422, failed.body);
      const error = failed.json().error;
      assert.deepEqual({ ...error, message: '', hint: '' }, {
        code: 'signup_step_failed', message: '', step: failing, attemptId, metaCode: 131009, metaSubcode: null,
        metaMessage: `(#131009) Parameter value is not valid at ${failing}`, hint: '', retryable: false,
      });
      assert.match(error.message, new RegExp(`failed: \\(#131009\\) Parameter value is not valid at ${failing}$`));
      assert.ok(error.hint.length > 20);
      const recorded = await one(db.pool, 'select step, last_error from wa_signup_attempts where id = $1', [attemptId]);
      assert.deepEqual(recorded, { step: failing, last_error: { step: failing, code: 'signup_step_failed', metaCode: 131009, message: `(#131009) Parameter value is not valid at ${failing}` } });

      // The code is single-use: once exchanged it is never sent again, whatever the retry brings.
      const retry = await complete(state, ids);
      assert.equal(retry.statusCode, 200, retry.body);
      assert.equal(exchanges() - exchangesBefore, failing === 'exchange' ? 2 : 1);
      // The failed step ran twice, every other step once.
      const twice = (step: string) => (step === failing ? 2 : 1);
      assert.deepEqual(callsFor(ids), { subscribe: twice('subscribe'), register: twice('register'), details: twice('details') });
      assert.equal((await one(db.pool, 'select last_error from wa_signup_attempts where id = $1', [attemptId])).last_error, null);
    });
  }

  it('Meta failing or unreachable is 502, retryable; the hints for 133016, 100 (override callback), 190 and 133005 say what to do', async () => {
    const cases: [typeof STEPS[number], ReturnType<typeof graph.error>, number, RegExp][] = [
      ['subscribe', graph.error(503, 2, 'Service temporarily unavailable'), 502, /wait a moment, then retry/],
      ['register', graph.error(400, 133016, 'Account register deregister rate limit exceeded'), 422, /10 registrations in 72 hours/],
      ['subscribe', graph.error(400, 100, '(#100) Before override the current callback uri, your app must be subscribed'), 422, /default callback and the messages field/],
      ['details', graph.error(401, 190, 'Error validating access token'), 422, /start Connect with Facebook again/],
      ['register', graph.error(400, 133005, 'Two step verification PIN Mismatch'), 422, /enter its current PIN/],
      ['exchange', graph.error(400, 100, 'This authorization code has been used'), 422, /single-use and expire within minutes/],
    ];
    for (const [step, reply, status, hint] of cases) {
      const { state } = await start();
      graph.replyTo(GRAPH_STEPS[step], reply);
      const res = await complete(state, newNumber());
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().error.step, step);
      assert.match(res.json().error.hint, hint);
      assert.equal(res.json().error.retryable, status === 502);
    }
  });

  it('a forged, expired, other user\'s or replayed state is refused, each with its own code', async () => {
    const forged = await complete(randomBytes(32).toString('base64url'), newNumber());
    assert.deepEqual([forged.statusCode, forged.json().error.code], [400, 'invalid_signup_state']);
    const old = await start();
    await db.pool.query('update wa_signup_attempts set expires_at = now() - interval \'1 second\' where id = $1', [old.attemptId]);
    const expired = await complete(old.state, newNumber());
    assert.deepEqual([expired.statusCode, expired.json().error.code], [400, 'signup_state_expired']);
    const mine = await start(owner!);
    const theirs = await complete(mine.state, newNumber(), {}, admin!);
    assert.deepEqual([theirs.statusCode, theirs.json().error.code], [403, 'signup_state_not_yours']);
    const ids = newNumber();
    assert.equal((await complete(mine.state, ids)).statusCode, 200);
    const replayed = await complete(mine.state, ids);
    assert.deepEqual([replayed.statusCode, replayed.json().error.code], [409, 'signup_state_used']);
  });

  it('only owners and admins start or complete: 403 for other members, 404 for outsiders and other workspaces', async () => {
    const member = await call('POST', `${BASE}/start`, agent!, { workspaceId: ws });
    assert.deepEqual([member.statusCode, member.json().error.code], [403, 'not_workspace_admin']);
    const outside = await call('POST', `${BASE}/start`, outsider!, { workspaceId: ws });
    assert.deepEqual([outside.statusCode, outside.json().error.code], [404, 'workspace_not_found']);
    assert.equal((await call('POST', `${BASE}/start`, owner!, { workspaceId: otherWs })).statusCode, 404);
    // An admin demoted after starting may not finish.
    const { state } = await start(admin!);
    await db.pool.query('update workspace_memberships set role = \'agent\' where user_id = $1', [admin!.id]);
    const demoted = await complete(state, newNumber(), {}, admin!);
    assert.deepEqual([demoted.statusCode, demoted.json().error.code], [403, 'not_workspace_admin']);
    await db.pool.query('update workspace_memberships set role = \'admin\' where user_id = $1', [admin!.id]);
    assert.equal((await call('POST', `${BASE}/complete`, null, { state })).statusCode, 401);
  });

  it('bad input is a 400 naming the field; a step\'s missing input is named before any Graph call', async () => {
    const { state } = await start();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ pin: '12345' }, /^body\.pin: pin must be 6 digits$/],
      [{ pin: '12a456' }, /^body\.pin: pin must be 6 digits$/],
      [{ wabaId: 'WABA' }, /^body\.wabaId: wabaId must be the numeric id/],
      [{ phoneNumberId: '' }, /^body\.phoneNumberId: /],
      [{ state: 'short' }, /^body\.state: state must be the state/],
      [{ pin: undefined }, /^body\.pin: required to register the number/],
      [{ code: undefined }, /^body\.code: required until the code is exchanged/],
    ];
    const before = graph.requests.length;
    for (const [extra, message] of cases) {
      const res = await complete(state, newNumber(), extra);
      assert.equal(res.statusCode, 400, JSON.stringify(extra));
      assert.match(res.json().error.message, message);
    }
    assert.equal(graph.requests.length, before);
    const returnTo = await call('POST', `${BASE}/start`, owner!, { workspaceId: ws, returnTo: 'https://evil.example/steal' });
    assert.equal(returnTo.statusCode, 400);
    assert.match(returnTo.json().error.message, /^body\.returnTo: /);
  });

  it('a retry for another number is 409 signup_mismatch; a double submit runs each step once (409 signup_in_progress)', async () => {
    const { state } = await start();
    const ids = newNumber();
    graph.replyTo(GRAPH_STEPS.register, graph.error(400, 133016, 'limit'));
    assert.equal((await complete(state, ids)).statusCode, 422);
    const other = await complete(state, { ...ids, phoneNumberId: '1999999999' });
    assert.deepEqual([other.statusCode, other.json().error.code], [409, 'signup_mismatch']);

    const second = await start();
    const twice = newNumber();
    graph.replyTo(GRAPH_STEPS.exchange, { status: 200, body: { access_token: 'EAAG-slow-token-0123456789', token_type: 'bearer' }, delayMs: 300 });
    sent.add('EAAG-slow-token-0123456789');
    const exchangesBefore = exchanges();
    const both = await Promise.all([complete(second.state, twice), complete(second.state, twice)]);
    assert.deepEqual(both.map((res) => res.statusCode).sort(), [200, 409]);
    assert.equal(both.find((res) => res.statusCode === 409)!.json().error.code, 'signup_in_progress');
    assert.equal(exchanges() - exchangesBefore, 1);
  });

  it('a number another workspace has fails the store step with 409 phone_number_taken, recorded; Graph steps are not redone', async () => {
    const ids = newNumber();
    await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, $2)', [otherWs, ids.phoneNumberId]);
    const { state, attemptId } = await start();
    const taken = await complete(state, ids);
    assert.deepEqual([taken.statusCode, taken.json().error.code], [409, 'phone_number_taken']);
    const attempt = await one<{ step: string; last_error: { code: string } }>(db.pool, 'select step, last_error from wa_signup_attempts where id = $1', [attemptId]);
    assert.deepEqual([attempt.step, attempt.last_error.code], ['store', 'phone_number_taken']);
    await db.pool.query('delete from wa_phone_numbers where phone_number_id = $1', [ids.phoneNumberId]);
    assert.equal((await complete(state, ids, { code: undefined, pin: undefined })).statusCode, 200, 'no code or PIN needed any more');
    assert.deepEqual(callsFor(ids), { subscribe: 1, register: 1, details: 1 });
  });

  it('signing up a number the workspace has already replaces its token and activates it (created: false)', async () => {
    const ids = newNumber();
    await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id, status, display_name) values ($1, $2, \'inactive\', \'Old\')', [ws, ids.phoneNumberId]);
    const res = await complete((await start()).state, ids);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().created, false);
    assert.equal(res.json().connection.status, 'active');
    assert.equal(res.json().connection.hasToken, true);
  });

  it('the redirect flow: META_OAUTH_REDIRECT_URI exchanges with that redirect_uri, then the page completes without the code', async () => {
    const { state } = await start(owner!, ws, { returnTo: '/settings/whatsapp?tab=numbers' });
    const code = 'redirect-code-SECRET-99';
    sent.add(code);
    const back = await call('GET', `/api/meta/oauth/callback?code=${code}&state=${encodeURIComponent(state)}`, null);
    assert.equal(back.statusCode, 303);
    assert.equal(back.headers.location, '/settings/whatsapp?tab=numbers&signup=ready');
    const exchange = new URL(graph.calls(GRAPH_STEPS.exchange).at(-1)!.path, 'http://x').searchParams;
    assert.equal(exchange.get('redirect_uri'), 'https://inbox.example.com/api/meta/oauth/callback');
    assert.equal(exchange.get('code'), code);
    const again = await call('GET', `/api/meta/oauth/callback?code=${code}&state=${encodeURIComponent(state)}`, null);
    assert.equal(again.headers.location, '/settings/whatsapp?tab=numbers&signup=ready', 'a reload exchanges nothing');
    assert.equal(graph.calls(GRAPH_STEPS.exchange).filter((r) => r.path.includes(code)).length, 1);
    const ids = newNumber();
    assert.equal((await complete(state, ids, { code: undefined })).statusCode, 200);

    const forged = await call('GET', '/api/meta/oauth/callback?code=x&state=forged-state-0123456789', null);
    assert.equal(forged.headers.location, '/?signup=failed&signupError=invalid_signup_state');
    const cancelled = (await start()).state;
    const denied = await call('GET', `/api/meta/oauth/callback?error=access_denied&error_reason=user_denied&state=${encodeURIComponent(cancelled)}`, null);
    assert.equal(denied.headers.location, `/dashboard/meta-hub/whatsapp/${ws}?signup=failed&signupError=signup_cancelled`);
    const used = await call('GET', `/api/meta/oauth/callback?code=${code}&state=${encodeURIComponent(state)}`, null);
    assert.equal(used.headers.location, '/settings/whatsapp?tab=numbers&signup=failed&signupError=signup_state_used');
    const refusedCode = (await start()).state;
    graph.replyTo(GRAPH_STEPS.exchange, graph.error(400, 100, 'This authorization code has expired'));
    const failed = await call('GET', `/api/meta/oauth/callback?code=stale-code-SECRET-1&state=${encodeURIComponent(refusedCode)}`, null);
    sent.add('stale-code-SECRET-1');
    assert.equal(failed.headers.location, `/dashboard/meta-hub/whatsapp/${ws}?signup=failed&signupError=signup_step_failed`, 'a code, never Meta\'s text');
  });

  it('a user may start 20 signups a minute: 429 with Retry-After beyond', async () => {
    await resetStartLimit();
    // Fixed one-minute windows: 20 in a row, or up to 40 when the loop crosses into the next minute.
    const statuses: number[] = [];
    let last: LightMyRequestResponse | null = null;
    while (statuses.length < 41 && last?.statusCode !== 429) statuses.push((last = await call('POST', `${BASE}/start`, admin!, { workspaceId: ws })).statusCode);
    assert.ok(statuses.length >= 21 && statuses.slice(0, -1).every((status) => status === 201), statuses.join(','));
    assert.equal(last!.json().error.code, 'rate_limited');
    assert.ok(Number(last!.headers['retry-after']) > 0);
    await resetStartLimit();
  });

  it('attempts are server-only: signed-in users and anon cannot read them', async () => {
    await assert.rejects(asUser(db.pool, owner!.id, 'select state_hash from wa_signup_attempts'), { code: '42501' });
    await assert.rejects(asAnon(db.pool, 'select * from wa_signup_attempts'), { code: '42501' });
  });

  it('no code, PIN, state, token or the app secret reaches a log line; no code, token or secret a response', () => {
    const log = logLines.join('\n');
    assert.ok(log.length > 0, 'the log captured lines');
    const tokens = graph.requests.flatMap((r) => (r.authorization ? [r.authorization.replace('Bearer ', '')] : []));
    assert.ok(tokens.length > 10);
    for (const secret of [...sent, ...states, ...tokens, '246810']) assert.ok(!log.includes(secret), `a log line holds ${secret.slice(0, 10)}…`);
    for (const secret of [...sent, ...tokens]) {
      assert.ok(!bodies.some((body) => body.includes(secret)), `a response holds ${secret.slice(0, 10)}…`);
    }
  });
});
