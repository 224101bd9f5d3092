import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { testApp, testUser } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';
import { createWorkspace, one } from '../helpers/sql.js';
import { TEST_JWT_SECRET } from '../helpers/app.js';

describe('ops console API', async () => {
  const db = await freshDatabase();
  const admin = await testUser(db, 'admin@ops.example');
  const allowlistOnly = await testUser(db, 'listed@ops.example');
  const rowOnly = await testUser(db, 'row@ops.example');
  const plain = await testUser(db, 'plain@ops.example');
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, \'admin@ops.example\'), ($2, \'row@ops.example\')', [
    admin.id,
    rowOnly.id,
  ]);
  const env = { OPS_ADMIN_EMAILS: 'Admin@ops.example, listed@ops.example', OPS_WRITE_RATE_LIMIT: '100000' };
  const { app } = await testApp(db, env);
  const ws = await createWorkspace(db.pool, 'coba-gigaviz');

  const call = (target: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: unknown) =>
    target.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const as = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => call(app, method, url, admin.token, payload);
  const balance = async (): Promise<number> => (await one<{ b: number }>(db.pool, 'select coalesce((select balance from workspace_token_balance where workspace_id = $1), 0) as b', [ws])).b;

  describe('seed smoke: Ops Console Workspace Detail', () => {
    it('detail loads without 404', async () => {
      const res = await as('GET', `/api/ops/workspaces/${ws}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.workspace.slug, 'coba-gigaviz');
      assert.equal(body.workspace.balance, 0);
      assert.deepEqual(body.ledger, []);
    });

    it('a non-existent uuid gives the friendly "Workspace not found" (a malformed id too)', async () => {
      for (const id of [randomUUID(), 'not-a-uuid', '1\' or \'1\'=\'1']) {
        const res = await as('GET', `/api/ops/workspaces/${encodeURIComponent(id)}`);
        assert.equal(res.statusCode, 404);
        assert.deepEqual(res.json(), { error: { code: 'workspace_not_found', message: 'Workspace not found' } });
      }
    });
  });

  describe('seed smoke: Ops Console Token Actions', () => {
    it('grant 100 with reason "Test grant" and an empty reference id succeeds; the balance rises', async () => {
      const res = await as('POST', `/api/ops/workspaces/${ws}/tokens/grant`, { amount: 100, reason: 'Test grant', referenceId: '' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().applied, true);
      assert.equal(res.json().balance, 100);
      assert.equal(await balance(), 100);
    });

    it('grant with reference id "test-ref-123" succeeds; its replay changes nothing', async () => {
      const first = await as('POST', `/api/ops/workspaces/${ws}/tokens/grant`, { amount: 100, reason: 'Test grant', referenceId: 'test-ref-123' });
      assert.equal(first.statusCode, 200);
      assert.equal(first.json().balance, 200);
      const replay = await as('POST', `/api/ops/workspaces/${ws}/tokens/grant`, { amount: 100, reason: 'Test grant', referenceId: 'test-ref-123' });
      assert.equal(replay.statusCode, 200);
      assert.deepEqual(replay.json(), { applied: false, balance: 200, ledgerId: first.json().ledgerId });
    });

    it('deduct with an empty reference id succeeds', async () => {
      const res = await as('POST', `/api/ops/workspaces/${ws}/tokens/deduct`, { amount: '30', reason: 'Test deduct', referenceId: '' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().balance, 170);
    });
  });

  describe('seed smoke: Ops Console Entitlement Actions', () => {
    it('enable a disabled entitlement ("Core OS"): payload stored as {}', async () => {
      const res = await as('POST', `/api/ops/workspaces/${ws}/entitlements/core_os/enable`, { payload: '' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().enabled, true);
      assert.deepEqual(res.json().payload, {});
    });

    it('payload {"tier":"beta"} saves and persists', async () => {
      const res = await as('PUT', `/api/ops/workspaces/${ws}/entitlements/core_os/payload`, { payload: { tier: 'beta' } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().enabled, true, 'a payload update keeps the entitlement enabled');
      assert.deepEqual((await one(db.pool, 'select payload from workspace_entitlements where key = \'core_os\'')).payload, { tier: 'beta' });
    });

    it('disable with an empty reason succeeds; disable again with a reason succeeds', async () => {
      const empty = await as('POST', `/api/ops/workspaces/${ws}/entitlements/core_os/disable`, { reason: '' });
      assert.equal(empty.statusCode, 200, empty.body);
      assert.equal(empty.json().enabled, false);
      assert.deepEqual(empty.json().payload, { tier: 'beta' }, 'disabling keeps the payload');
      const reasoned = await as('POST', `/api/ops/workspaces/${ws}/entitlements/core_os/disable`, { reason: 'Trial ended' });
      assert.equal(reasoned.statusCode, 200);
      assert.equal(reasoned.json().reason, 'Trial ended');
    });
  });

  describe('seed smoke: Entitlement Payload v1 (Ops)', () => {
    it('enable core_os with an empty payload editor: payload becomes {}', async () => {
      const res = await as('POST', `/api/ops/workspaces/${ws}/entitlements/core_os/enable`);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().payload, {});
    });

    it('edit the payload to {"plan":"pro"}: it persists', async () => {
      await as('PUT', `/api/ops/workspaces/${ws}/entitlements/core_os/payload`, { payload: { plan: 'pro' } });
      const detail = (await as('GET', `/api/ops/workspaces/${ws}`)).json();
      assert.deepEqual(detail.entitlements.find((e: { key: string }) => e.key === 'core_os').payload, { plan: 'pro' });
      assert.deepEqual(detail.workspace.enabledEntitlements, ['core_os']);
      const row = detail.entitlements.find((e: { key: string }) => e.key === 'core_os');
      assert.deepEqual([row.workspaceId, row.updatedBy, row.updatedByEmail], [ws, admin.id, 'admin@ops.example']);
    });

    it('grant 50000 with reason "For Meta Review": balance updates and a ledger entry is created', async () => {
      const before = await balance();
      const res = await as('POST', `/api/ops/workspaces/${ws}/tokens/grant`, { amount: 50000, reason: 'For Meta Review' });
      assert.equal(res.json().balance, before + 50000);
      const ledger = (await as('GET', `/api/ops/workspaces/${ws}`)).json().ledger;
      assert.equal(ledger[0].reason, 'For Meta Review');
      assert.equal(ledger[0].delta, 50000);
      const audit = (await as('GET', `/api/ops/workspaces/${ws}`)).json().audit[0];
      assert.equal(audit.action, 'owner.tokens.granted');
      assert.deepEqual([audit.before.balance, audit.after.balance], [before, before + 50000]);
    });

    it('audit log entries exist for owner.entitlement.enabled and owner.tokens.granted', async () => {
      const audit = (await as('GET', `/api/ops/workspaces/${ws}`)).json().audit as { action: string; actorEmail: string }[];
      const actions = new Set(audit.map((a) => a.action));
      for (const action of ['owner.entitlement.enabled', 'owner.tokens.granted', 'owner.tokens.deducted', 'owner.entitlement.disabled', 'owner.entitlement.payload_updated']) {
        assert.ok(actions.has(action), action);
      }
      assert.ok(audit.every((a) => a.actorEmail === 'admin@ops.example'));
    });
  });

  it('refuses non-admins (403 not_platform_admin), allowlist-only and row-only callers, and anonymous calls (401)', async () => {
    for (const user of [plain, allowlistOnly, rowOnly]) {
      const res = await call(app, 'GET', `/api/ops/workspaces/${ws}`, user.token);
      assert.equal(res.statusCode, 403, user.email);
      assert.equal(res.json().error.code, 'not_platform_admin');
      const write = await call(app, 'POST', `/api/ops/workspaces/${ws}/tokens/grant`, user.token, { amount: 1, reason: 'sneaky' });
      assert.equal(write.statusCode, 403);
    }
    assert.equal((await call(app, 'GET', '/api/ops/workspaces', null)).statusCode, 401);
  });

  it('GET /api/me says platformAdmin only for an allowlisted email with a platform_admins row, as the ops routes decide', async () => {
    for (const [user, expected] of [[admin, true], [plain, false], [allowlistOnly, false], [rowOnly, false]] as const) {
      const res = await call(app, 'GET', '/api/me', user.token);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().platformAdmin, expected, user.email);
    }
  });

  it('answers bad input with 400 naming the field, and changes nothing', async () => {
    const before = await balance();
    const cases: [string, unknown, RegExp][] = [
      ['tokens/grant', { amount: -5, reason: 'Test grant' }, /amount/],
      ['tokens/grant', { amount: 'abc', reason: 'Test grant' }, /amount/],
      ['tokens/grant', { amount: 1.5, reason: 'Test grant' }, /amount/],
      ['tokens/grant', { amount: 5, reason: ' a ' }, /reason/],
      ['tokens/grant', { amount: 5 }, /reason/],
      ['entitlements/core_os/enable', { payload: [1, 2] }, /payload must be a JSON object/],
      ['entitlements/core_os/enable', { payload: 'text' }, /payload must be a JSON object/],
      ['entitlements/Core-OS/enable', {}, /key must be/],
    ];
    for (const [path, body, message] of cases) {
      const res = await as('POST', `/api/ops/workspaces/${ws}/${path}`, body);
      assert.equal(res.statusCode, 400, `${path} ${JSON.stringify(body)}: ${res.body}`);
      assert.match(res.json().error.message, message);
    }
    const put = await as('PUT', `/api/ops/workspaces/${ws}/entitlements/core_os/payload`, { payload: null });
    assert.equal(put.statusCode, 400);
    assert.match(put.json().error.message, /payload must be a JSON object/);
    assert.equal(await balance(), before);
  });

  it('refuses a deduction larger than the balance with 409 insufficient_balance', async () => {
    const before = await balance();
    const res = await as('POST', `/api/ops/workspaces/${ws}/tokens/deduct`, { amount: before + 1, reason: 'Too much' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'insufficient_balance');
    assert.equal(await balance(), before);
  });

  it('lists workspaces by name or slug with paging, balance and enabled entitlements', async () => {
    await createWorkspace(db.pool, 'acme-store');
    await createWorkspace(db.pool, 'acme-cafe');
    const res = await as('GET', '/api/ops/workspaces?q=ACME&limit=1');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().total, 2);
    assert.equal(res.json().items.length, 1);
    const page2 = (await as('GET', '/api/ops/workspaces?q=acme&limit=1&offset=1')).json();
    assert.notEqual(page2.items[0].id, res.json().items[0].id);
    const coba = (await as('GET', '/api/ops/workspaces?q=gigaviz')).json().items[0];
    assert.deepEqual(coba.enabledEntitlements, ['core_os']);
    assert.ok(coba.balance > 0);
  });

  it('100 concurrent grants and deducts with random reference ids: balance = sum of ledger, never below zero', async () => {
    const target = await createWorkspace(db.pool, 'concurrency');
    await as('POST', `/api/ops/workspaces/${target}/tokens/grant`, { amount: 50, reason: 'seed balance' });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        as('POST', `/api/ops/workspaces/${target}/tokens/${i % 2 ? 'deduct' : 'grant'}`, {
          amount: i % 2 ? 20 : 10,
          reason: 'concurrent change',
          referenceId: i % 10 === 0 ? 'shared-ref' : randomUUID(),
        })),
    );
    for (const res of results) assert.ok([200, 409].includes(res.statusCode), res.body);
    const sums = await one(db.pool, `select (select balance from workspace_token_balance where workspace_id = $1) as balance,
      (select sum(delta)::bigint from workspace_token_ledger where workspace_id = $1) as ledger,
      (select count(*)::int from workspace_token_ledger where workspace_id = $1) as entries,
      (select count(*)::int from owner_audit_log where workspace_id = $1 and action like 'owner.tokens.%') as audits`, [target]);
    assert.equal(sums.balance, sums.ledger);
    assert.ok(Number(sums.balance) >= 0);
    assert.equal(sums.audits, sums.entries, 'one audit row per applied change');
  });

  it('a failure inside the transaction leaves neither the change nor an audit row', async () => {
    await db.pool.query(`
      create function test_fail_audit() returns trigger language plpgsql as $$
      begin if new.meta ->> 'reason' = 'audit will fail' then raise exception 'audit storage down'; end if; return new; end $$;
      create trigger test_fail_audit before insert on owner_audit_log for each row execute function test_fail_audit();`);
    const before = await balance();
    const res = await as('POST', `/api/ops/workspaces/${ws}/tokens/grant`, { amount: 7, reason: 'audit will fail' });
    assert.equal(res.statusCode, 500);
    assert.equal(await balance(), before);
    assert.equal((await one(db.pool, 'select count(*)::int as n from workspace_token_ledger where reason = \'audit will fail\'')).n, 0);
    await db.pool.query('drop trigger test_fail_audit on owner_audit_log');
  });

  it('rate limits writes per admin with 429 and Retry-After', async () => {
    const { app: limited } = await testApp(db, { ...env, OPS_WRITE_RATE_LIMIT: '2' });
    const other = await testUser(db, 'listed@ops.example');
    await db.pool.query('insert into platform_admins (user_id, email) values ($1, \'listed@ops.example\') on conflict do nothing', [other.id]);
    const grant = () => call(limited, 'POST', `/api/ops/workspaces/${ws}/tokens/grant`, other.token, { amount: 1, reason: 'rate test' });
    const statuses = [(await grant()).statusCode, (await grant()).statusCode];
    const third = await grant();
    assert.deepEqual(statuses, [200, 200]);
    assert.equal(third.statusCode, 429);
    assert.equal(third.json().error.code, 'rate_limited');
    assert.ok(Number(third.headers['retry-after']) >= 1);
  });

  it('wabase admin add and owner add are idempotent', async () => {
    const cliEnv = { DATABASE_URL: db.url, SUPABASE_JWT_SECRET: TEST_JWT_SECRET, OPS_ADMIN_EMAILS: 'new-admin@ops.example' };
    for (let i = 0; i < 2; i++) {
      const res = await runCli(['admin', 'add', '--email', 'new-admin@ops.example', '--create', '--json'], cliEnv);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(JSON.parse(res.stdout).allowlisted, true);
    }
    assert.equal((await one(db.pool, 'select count(*)::int as n from platform_admins where email = \'new-admin@ops.example\'')).n, 1);
    for (const role of ['ops', 'owner']) {
      const res = await runCli(['owner', 'add', '--email', 'owner@example.com', '--user-id', plain.id, '--role', role], cliEnv);
      assert.equal(res.code, 0, res.stderr);
    }
    assert.deepEqual(await one(db.pool, 'select email, role, active from owner_members where user_id = $1', [plain.id]), {
      email: 'owner@example.com',
      role: 'owner',
      active: true,
    });
    const bad = await runCli(['owner', 'add', '--email', 'x@example.com', '--user-id', 'nope'], cliEnv);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--user-id: expected the uuid/);
    // Without --user-id the user is found by email, or created with --create.
    const unknown = await runCli(['owner', 'add', '--email', 'monitor-owner@example.com'], cliEnv);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /add --create/);
    const created = await runCli(['owner', 'add', '--email', 'monitor-owner@example.com', '--create', '--json'], cliEnv);
    assert.equal(created.code, 0, created.stderr);
    const row = await one(db.pool, 'select u.email from owner_members o join auth.users u on u.id = o.user_id where o.user_id = $1', [JSON.parse(created.stdout).userId]);
    assert.equal(row.email, 'monitor-owner@example.com');
  });
});
