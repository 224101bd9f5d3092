// Issue 16, "unbounded responses": the workspace detail carries one page of ledger and audit and a
// cursor for each; older rows are read through their own keyset-paged routes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { createWorkspace } from '../helpers/sql.js';

const PAGE = 50;
const PAYLOAD_MAX = 64 * 1024;

describe('ops workspace history pages', async () => {
  const db = await freshDatabase();
  const admin = await testUser(db, 'admin@history.example');
  const plain = await testUser(db, 'plain@history.example');
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [admin.id, admin.email]);
  const { app } = await testApp(db, { OPS_ADMIN_EMAILS: admin.email });
  const ws = await createWorkspace(db.pool, 'history');
  const other = await createWorkspace(db.pool, 'history-other');
  // 120 ledger rows, 60 of them in one second (a burst of grants), and 70 audit rows whose before
  // and after are each a payload at the 64 kB cap: the worst a workspace can hold.
  await db.pool.query(`insert into workspace_token_ledger (workspace_id, delta, reason, balance_after, created_at)
    select $1, i, 'grant ' || i, i, case when i <= 60 then timestamptz '2026-12-01 10:00:00+00' else timestamptz '2026-12-01 10:00:00+00' + i * interval '1 ms' end
    from generate_series(1, 120) i`, [ws]);
  await db.pool.query(`insert into workspace_token_ledger (workspace_id, delta, reason, balance_after) values ($1, 1, 'other workspace', 1)`, [other]);
  const big = JSON.stringify({ payload: { blob: 'x'.repeat(PAYLOAD_MAX - 20) } });
  await db.pool.query(`insert into owner_audit_log (action, workspace_id, target_table, target_id, before_data, after_data, created_at)
    select 'owner.entitlement.payload_updated', $1, 'workspace_entitlements', 'k' || i, $2::jsonb, $2::jsonb, timestamptz '2026-12-01 10:00:00+00' + (i / 10) * interval '1 s'
    from generate_series(1, 70) i`, [ws, big]);

  const get = (url: string, token = admin.token) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  /** Follows a list from the detail's cursor to its end; returns every id and the page sizes. */
  async function readAll(kind: 'ledger' | 'audit', limit?: number) {
    const detail = (await get(`/api/ops/workspaces/${ws}`)).json();
    const ids: string[] = detail[kind].map((row: { id: string }) => row.id);
    const sizes = [ids.length];
    let before: string | null = detail[`${kind}NextBefore`];
    while (before && sizes.length < 20) {
      const res = await get(`/api/ops/workspaces/${ws}/${kind}?before=${encodeURIComponent(before)}${limit ? `&limit=${limit}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { items: { id: string }[]; nextBefore: string | null };
      ids.push(...page.items.map((row) => row.id));
      sizes.push(page.items.length);
      before = page.nextBefore;
    }
    return { ids, sizes };
  }

  it('the detail holds the newest 50 of each, newest first, and a cursor for the rest', async () => {
    const body = (await get(`/api/ops/workspaces/${ws}`)).json();
    assert.equal(body.ledger.length, PAGE);
    assert.equal(body.audit.length, PAGE);
    assert.equal(body.ledger[0].reason, 'grant 120');
    assert.equal(typeof body.ledgerNextBefore, 'string');
    assert.equal(typeof body.auditNextBefore, 'string');
    const empty = (await get(`/api/ops/workspaces/${other}`)).json();
    assert.deepEqual([empty.ledger.length, empty.ledgerNextBefore, empty.audit.length, empty.auditNextBefore], [1, null, 0, null]);
  });

  it('paging returns every ledger row exactly once, rows of one second included, and ends with a null cursor', async () => {
    const expected = (await db.pool.query<{ id: string }>('select id from workspace_token_ledger where workspace_id = $1 order by created_at desc, id desc', [ws])).rows.map((r) => r.id);
    const all = await readAll('ledger');
    assert.deepEqual(all.sizes, [50, 50, 20]);
    assert.deepEqual(all.ids, expected);
    const small = await readAll('ledger', 7);
    assert.deepEqual(small.ids, expected, 'a smaller page size walks the same rows');
    assert.deepEqual(small.sizes, [50, ...Array(10).fill(7)], '70 older rows in pages of 7');
  });

  it('paging returns every audit row exactly once', async () => {
    const expected = (await db.pool.query<{ id: string }>('select id from owner_audit_log where workspace_id = $1 order by created_at desc, id desc', [ws])).rows.map((r) => r.id);
    const all = await readAll('audit');
    assert.deepEqual(all.sizes, [50, 20]);
    assert.deepEqual(all.ids, expected);
  });

  it('a response stays bounded: 50 audit rows of two capped copies each, never the whole history', async () => {
    const perRow = 2 * PAYLOAD_MAX + 1024;
    const detail = await get(`/api/ops/workspaces/${ws}`);
    assert.ok(detail.body.length <= PAGE * perRow + 64 * 1024, `detail is ${detail.body.length} bytes`);
    assert.ok(detail.body.length > (PAGE - 1) * 2 * PAYLOAD_MAX, 'the rows really are that large');
    const audit = await get(`/api/ops/workspaces/${ws}/audit?limit=50`);
    assert.ok(audit.body.length <= PAGE * perRow, `an audit page is ${audit.body.length} bytes`);
    const over = await get(`/api/ops/workspaces/${ws}/audit?limit=51`);
    assert.equal(over.statusCode, 400);
    assert.match(over.json().error.message, /limit must be 1 to 50/);
  });

  it('a cursor the server did not issue is a 400 that names before', async () => {
    for (const kind of ['ledger', 'audit']) {
      for (const bad of ['garbage', '1', '2026-12-01T10:00:00Z~not-a-uuid', '275760-01-01', `2026-12-01T10:00:00Z'--`]) {
        const res = await get(`/api/ops/workspaces/${ws}/${kind}?before=${encodeURIComponent(bad)}`);
        assert.equal(res.statusCode, 400, `${kind} ${bad}`);
        assert.equal(res.json().error.code, 'invalid_input');
        assert.match(res.json().error.message, /^before /);
      }
      const long = await get(`/api/ops/workspaces/${ws}/${kind}?before=${'2'.repeat(101)}`);
      assert.equal(long.statusCode, 400);
      assert.match(long.json().error.message, /before/);
    }
  });

  it('only platform admins read history; an unknown or malformed workspace is workspace_not_found', async () => {
    for (const kind of ['ledger', 'audit']) {
      assert.equal((await get(`/api/ops/workspaces/${ws}/${kind}`, plain.token)).statusCode, 403);
      assert.equal((await app.inject({ method: 'GET', url: `/api/ops/workspaces/${ws}/${kind}` })).statusCode, 401);
      for (const id of [randomUUID(), 'not-a-uuid']) {
        const res = await get(`/api/ops/workspaces/${id}/${kind}`);
        assert.equal(res.statusCode, 404);
        assert.deepEqual(res.json(), { error: { code: 'workspace_not_found', message: 'Workspace not found' } });
      }
    }
  });
});
