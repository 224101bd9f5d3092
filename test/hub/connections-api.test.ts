// Issue 13, "Connecting WhatsApp numbers", manual: the connections API a settings page lists,
// adds, deactivates/activates and tests numbers with.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { decryptSecret } from '../../src/hub/crypto.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeGraph, GRAPH_STEPS } from '../helpers/fake-graph.js';
import { APP_SECRET, signedPost, textChange, webhookBody } from '../helpers/meta.js';
import { createWorkspace, one } from '../helpers/sql.js';

const URL = '/api/meta/whatsapp/connections';
const CONNECTION_KEYS = ['createdAt', 'displayName', 'displayPhoneNumber', 'hasToken', 'id', 'lastWebhookAt', 'phoneNumberId', 'status', 'updatedAt', 'wabaId', 'workspaceId'];

describe('connections API', async () => {
  const db = await freshDatabase();
  const graph = await fakeGraph();
  const logLines: string[] = [];
  const key = randomBytes(32);
  const platform = await testUser(db, 'platform@conn.example');
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [platform.id, platform.email]);
  const env = { META_GRAPH_BASE_URL: graph.url, WABASE_ENCRYPTION_KEY: key.toString('base64'), META_APP_SECRET: APP_SECRET, OPS_ADMIN_EMAILS: platform.email };
  const { app } = await testApp(db, env, { logLines });
  const [owner, admin, agent, outsider, otherOwner, unlisted] = await Promise.all(
    ['owner', 'admin', 'agent', 'outsider', 'other-owner', 'unlisted-admin'].map((name) => testUser(db, `${name}@conn.example`)),
  );
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [unlisted!.id, unlisted!.email]);
  const ws = await createWorkspace(db.pool, 'conn-ws');
  const otherWs = await createWorkspace(db.pool, 'conn-other');
  const role = (workspace: string, userId: string, name: string) =>
    db.pool.query('insert into workspace_memberships (workspace_id, user_id, role) values ($1, $2, $3)', [workspace, userId, name]);
  await role(ws, owner!.id, 'owner');
  await role(ws, admin!.id, 'admin');
  await role(ws, agent!.id, 'agent');
  await role(otherWs, otherOwner!.id, 'owner');

  /** Every token sent below; none may come back in a response or reach a log line. */
  const secrets = new Set<string>();
  const bodies: string[] = [];
  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, user: { token: string }, payload?: unknown): Promise<LightMyRequestResponse> => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${user.token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    bodies.push(res.body);
    return res;
  };
  const add = (user: { token: string }, body: Record<string, unknown>) => {
    if (typeof body.accessToken === 'string') secrets.add(body.accessToken);
    return call('POST', URL, user, body);
  };
  const newToken = () => `EAAG${randomBytes(24).toString('hex')}`;
  const stored = async (id: string) => decryptSecret(key, (await one<{ t: string }>(db.pool, 'select access_token_enc as t from wa_phone_numbers where id = $1', [id])).t);

  let connectionId = '';
  it('an owner adds a number: 201 with the connection, the token stored encrypted and never returned, an audit row', async () => {
    const token = newToken();
    const res = await add(owner!, { workspaceId: ws, phoneNumberId: '1065403522', wabaId: '2001002003', accessToken: token, displayName: 'Support' });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), CONNECTION_KEYS);
    assert.deepEqual({ ...body, id: '', createdAt: '', updatedAt: '' }, {
      id: '', workspaceId: ws, phoneNumberId: '1065403522', wabaId: '2001002003', displayPhoneNumber: null, displayName: 'Support',
      status: 'active', hasToken: true, lastWebhookAt: null, createdAt: '', updatedAt: '',
    });
    connectionId = body.id;
    const raw = await one<{ t: string }>(db.pool, 'select access_token_enc as t from wa_phone_numbers where id = $1', [connectionId]);
    assert.ok(!raw.t.includes(token) && raw.t.startsWith('v1.'), 'ciphertext, not the token');
    assert.equal(await stored(connectionId), token);
    const audit = await one(db.pool, 'select action, actor_user_id, target_id, after_data from owner_audit_log where workspace_id = $1', [ws]);
    assert.deepEqual(audit, {
      action: 'workspace.connection.added', actor_user_id: owner!.id, target_id: connectionId,
      after_data: { phoneNumberId: '1065403522', wabaId: '2001002003', displayPhoneNumber: null, displayName: 'Support', status: 'active' },
    });
  });

  it('bad input is a 400 naming the field', async () => {
    const good = { workspaceId: ws, phoneNumberId: '1065403599', wabaId: '2001002003', accessToken: newToken() };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, phoneNumberId: undefined }, /^body\.phoneNumberId: /],
      [{ ...good, phoneNumberId: '+62 812' }, /^body\.phoneNumberId: phoneNumberId must be the numeric id/],
      [{ ...good, wabaId: 'waba' }, /^body\.wabaId: wabaId must be the numeric id/],
      [{ ...good, accessToken: 'short' }, /^body\.accessToken: accessToken must be the access token/],
      [{ ...good, accessToken: 'has a space inside it' }, /^body\.accessToken: /],
      [{ ...good, workspaceId: 'nope' }, /^body\.workspaceId: /],
      [{ ...good, displayName: 'x'.repeat(101) }, /^body\.displayName: displayName must be at most 100 characters/],
    ];
    for (const [body, message] of cases) {
      const res = await add(owner!, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.equal(res.json().error.code, 'invalid_input');
      assert.match(res.json().error.message, message);
    }
    const patch = await call('PATCH', `${URL}/${connectionId}`, owner!, {});
    assert.equal(patch.statusCode, 400);
    assert.match(patch.json().error.message, /send status or accessToken/);
    assert.match((await call('PATCH', `${URL}/${connectionId}`, owner!, { status: 'paused' })).json().error.message, /^body\.status: /);
    assert.equal((await call('GET', `${URL}?workspaceId=nope`, owner!)).statusCode, 400);
  });

  it('a member who is not owner or admin may list (canManage false, no token anywhere) but not change: 403', async () => {
    const list = await call('GET', `${URL}?workspaceId=${ws}`, agent!);
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().canManage, false);
    assert.deepEqual(list.json().connections.map((c: Record<string, unknown>) => Object.keys(c).sort()), [CONNECTION_KEYS]);
    for (const res of [
      await add(agent!, { workspaceId: ws, phoneNumberId: '1065403511', wabaId: '2001002003', accessToken: newToken() }),
      await call('PATCH', `${URL}/${connectionId}`, agent!, { status: 'inactive' }),
      await call('POST', `${URL}/${connectionId}/test`, agent!),
    ]) {
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().error.code, 'not_workspace_admin');
    }
    assert.equal((await call('GET', `${URL}?workspaceId=${ws}`, admin!)).json().canManage, true);
  });

  it('another workspace\'s people get 404 for its list, its connections and adding to it', async () => {
    for (const user of [outsider!, otherOwner!, unlisted!]) {
      const list = await call('GET', `${URL}?workspaceId=${ws}`, user);
      assert.equal(list.statusCode, 404);
      assert.equal(list.json().error.code, 'workspace_not_found');
      const added = await add(user, { workspaceId: ws, phoneNumberId: '1065403512', wabaId: '2001002003', accessToken: newToken() });
      assert.equal(added.json().error.code, 'workspace_not_found');
      for (const res of [await call('PATCH', `${URL}/${connectionId}`, user, { status: 'inactive' }), await call('POST', `${URL}/${connectionId}/test`, user)]) {
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().error.code, 'connection_not_found');
      }
    }
    assert.equal((await call('GET', `${URL}?workspaceId=${otherWs}`, otherOwner!)).json().connections.length, 0, 'their own list is theirs alone');
    assert.equal((await call('PATCH', `${URL}/00000000-0000-4000-8000-000000000000`, owner!, { status: 'inactive' })).statusCode, 404);
    assert.equal((await one(db.pool, 'select status from wa_phone_numbers where id = $1', [connectionId])).status, 'active');
  });

  it('a platform admin (allowlisted, with a platform_admins row) may manage a workspace they are not a member of', async () => {
    const list = await call('GET', `${URL}?workspaceId=${ws}`, platform);
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().canManage, true);
    const added = await add(platform, { workspaceId: otherWs, phoneNumberId: '1065403600', wabaId: '2001002004', accessToken: newToken() });
    assert.equal(added.statusCode, 201, added.body);
  });

  it('a number another workspace has is 409 phone_number_taken; one this workspace has is 409 connection_exists; a race adds it once', async () => {
    const taken = await add(owner!, { workspaceId: ws, phoneNumberId: '1065403600', wabaId: '2001002004', accessToken: newToken() });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().error.code, 'phone_number_taken');
    const again = await add(admin!, { workspaceId: ws, phoneNumberId: '1065403522', wabaId: '2001002003', accessToken: newToken() });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'connection_exists');
    const race = await Promise.all([
      add(owner!, { workspaceId: ws, phoneNumberId: '1065403700', wabaId: '2001002003', accessToken: newToken() }),
      add(otherOwner!, { workspaceId: otherWs, phoneNumberId: '1065403700', wabaId: '2001002003', accessToken: newToken() }),
    ]);
    assert.deepEqual(race.map((res) => res.statusCode).sort(), [201, 409]);
    assert.equal((await one(db.pool, 'select count(*)::int as n from wa_phone_numbers where phone_number_id = \'1065403700\'')).n, 1);
  });

  it('deactivate, activate and replace the token: one transaction and one audit row per change', async () => {
    const off = await call('PATCH', `${URL}/${connectionId}`, admin!, { status: 'inactive' });
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(off.json().status, 'inactive');
    const token = newToken();
    secrets.add(token);
    const on = await call('PATCH', `${URL}/${connectionId}`, owner!, { status: 'active', accessToken: token });
    assert.equal(on.json().status, 'active');
    assert.equal(await stored(connectionId), token);
    assert.equal((await call('PATCH', `${URL}/${connectionId}`, owner!, { status: 'active' })).statusCode, 200, 'no change is no error');
    // One change's rows share its transaction's now(): ordered by time, then name.
    const actions = (await db.pool.query<{ action: string }>('select action from owner_audit_log where target_id = $1 order by created_at, action', [connectionId])).rows.map((r) => r.action);
    assert.deepEqual(actions, ['workspace.connection.added', 'workspace.connection.deactivated', 'workspace.connection.activated', 'workspace.connection.token_replaced']);
  });

  it('test connection: Graph\'s details with the stored token; missing display fields are filled in', async () => {
    const res = await call('POST', `${URL}/${connectionId}/test`, owner!);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.ok, true);
    assert.equal(body.error, null);
    assert.deepEqual(body.details, {
      id: '1065403522', displayPhoneNumber: '+62 812-3522', verifiedName: 'Toko 3522', qualityRating: 'GREEN', codeVerificationStatus: 'VERIFIED',
      nameStatus: 'APPROVED', platformType: 'CLOUD_API', throughputLevel: 'STANDARD',
    });
    const request = graph.calls(GRAPH_STEPS.details).at(-1)!;
    assert.match(request.path, /^\/v21\.0\/1065403522\?fields=display_phone_number%2Cverified_name%2Cquality_rating/);
    assert.equal(request.authorization, `Bearer ${await stored(connectionId)}`);
    const row = await one(db.pool, 'select display_phone_number, display_name from wa_phone_numbers where id = $1', [connectionId]);
    assert.deepEqual(row, { display_phone_number: '+62 812-3522', display_name: 'Support' }, 'a name already given is kept');
  });

  it('test connection reports Meta\'s error with what to do, and an unreachable Graph as such', async () => {
    graph.replyTo(GRAPH_STEPS.details, graph.error(401, 190, 'Error validating access token: Session has expired'));
    const expired = (await call('POST', `${URL}/${connectionId}/test`, owner!)).json();
    assert.equal(expired.ok, false);
    assert.equal(expired.details, null);
    assert.deepEqual({ ...expired.error, hint: '' }, { httpStatus: 401, metaCode: 190, metaSubcode: null, message: 'Error validating access token: Session has expired', retryable: false, hint: '' });
    assert.match(expired.error.hint, /replace the token/);
    const offline = (await testApp(db, { ...env, META_GRAPH_BASE_URL: 'http://127.0.0.1:9' })).app;
    const res = await offline.inject({ method: 'POST', url: `${URL}/${connectionId}/test`, headers: { authorization: `Bearer ${owner!.token}` } });
    assert.equal(res.json().ok, false);
    assert.equal(res.json().error.httpStatus, null);
    assert.match(res.json().error.hint, /could not be reached/);
  });

  it('test connection: 409 without a token, 429 past 10 a minute', async () => {
    const bare = (await one<{ id: string }>(db.pool, 'insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'1065403800\') returning id', [ws])).id;
    const none = await call('POST', `${URL}/${bare}/test`, owner!);
    assert.equal(none.statusCode, 409);
    assert.equal(none.json().error.code, 'connection_has_no_token');
    // Fixed one-minute windows: at most 10 in one, so a 429 comes within 21 calls wherever the minute turns.
    const statuses: number[] = [];
    while (statuses.length < 21 && statuses.at(-1) !== 429) statuses.push((await call('POST', `${URL}/${connectionId}/test`, owner!)).statusCode);
    assert.equal(statuses.at(-1), 429, `statuses ${statuses.join(',')}`);
    assert.ok(statuses.slice(0, -1).every((status) => status === 200));
  });

  it('last webhook seen: the newest inbound message, or an event held as orphan while inactive; read through the indexes', async () => {
    const before = (await call('GET', `${URL}?workspaceId=${ws}`, owner!)).json().connections.find((c: { id: string }) => c.id === connectionId);
    assert.equal(before.lastWebhookAt, null);
    assert.equal((await app.inject(signedPost(webhookBody(textChange('1065403522', '628111', 'halo'))))).statusCode, 200);
    const seen = (await call('GET', `${URL}?workspaceId=${ws}`, owner!)).json().connections.find((c: { id: string }) => c.id === connectionId);
    assert.ok(seen.lastWebhookAt && Math.abs(Date.parse(seen.lastWebhookAt) - Date.now()) < 60_000, seen.lastWebhookAt);

    await call('PATCH', `${URL}/${connectionId}`, owner!, { status: 'inactive' });
    await db.pool.query('update wa_messages set created_at = created_at - interval \'1 hour\' where connection_id = $1', [connectionId]);
    assert.equal((await app.inject(signedPost(webhookBody(textChange('1065403522', '628111', 'still there?'))))).statusCode, 200);
    const orphaned = (await call('GET', `${URL}?workspaceId=${ws}`, owner!)).json().connections.find((c: { id: string }) => c.id === connectionId);
    assert.ok(Date.parse(orphaned.lastWebhookAt) > Date.parse(seen.lastWebhookAt) - 1000, 'the orphan is newer than the (aged) message');

    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query('set local enable_seqscan = off');
      const plan = (await client.query(`explain select
        (select m.created_at from wa_messages m where m.connection_id = $1 and m.direction = 'in' order by m.created_at desc limit 1),
        (select o.received_at from orphan_webhook_events o where o.phone_number_id = $2 order by o.received_at desc limit 1)`, [connectionId, '1065403522'])).rows
        .map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      assert.match(plan, /wa_messages_connection_inbound_idx/);
      assert.match(plan, /orphan_webhook_events_phone_number_received_idx/);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('no access token ever appears in a response or a log line', () => {
    const log = logLines.join('\n');
    assert.ok(log.length > 0, 'the log captured lines');
    assert.ok(secrets.size >= 10);
    for (const secret of secrets) {
      assert.ok(!log.includes(secret), 'a log line holds a token');
      assert.ok(!bodies.some((body) => body.includes(secret)), 'a response holds a token');
    }
  });
});
