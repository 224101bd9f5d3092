import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { freshDatabase } from '../helpers/db.js';
import { asUser, createUser, createWorkspace, one } from '../helpers/sql.js';

describe('stored functions', async () => {
  const db = await freshDatabase();
  const delta = (workspace: string, amount: number, ref: string | null = null) =>
    one<{ applied: boolean; ledger_id: string; balance: number }>(
      db.pool,
      'select * from public.apply_workspace_token_delta($1, $2, \'test\', \'adjustment\', $3)',
      [workspace, amount, ref],
    );

  describe('apply_workspace_token_delta', () => {
    it('grants and deducts with a ledger row each', async () => {
      const ws = await createWorkspace(db.pool, 'tokens-1');
      assert.equal((await delta(ws, 100)).balance, 100);
      const deducted = await delta(ws, -30);
      assert.equal(deducted.applied, true);
      assert.equal(deducted.balance, 70);
      const ledger = (await db.pool.query('select delta, balance_after from workspace_token_ledger where workspace_id = $1 order by created_at', [ws])).rows;
      assert.deepEqual(ledger, [{ delta: 100, balance_after: 100 }, { delta: -30, balance_after: 70 }]);
    });

    it('a replay with the same reference id changes nothing and says so', async () => {
      const ws = await createWorkspace(db.pool, 'tokens-2');
      const first = await delta(ws, 100, 'test-ref-123');
      const replay = await delta(ws, 100, 'test-ref-123');
      assert.equal(first.applied, true);
      assert.deepEqual(replay, { applied: false, ledger_id: first.ledger_id, balance: 100 });
      // An empty reference id is no reference id: both apply.
      await delta(ws, 5, '');
      assert.equal((await delta(ws, 5, '  ')).balance, 110);
    });

    it('refuses to go below zero with insufficient_balance, leaving the balance unchanged', async () => {
      const ws = await createWorkspace(db.pool, 'tokens-3');
      await delta(ws, 10);
      await assert.rejects(delta(ws, -11), /insufficient_balance/);
      assert.equal((await one(db.pool, 'select balance from workspace_token_balance where workspace_id = $1', [ws])).balance, 10);
    });

    it('raises named errors for a zero delta and an unknown workspace', async () => {
      const ws = await createWorkspace(db.pool, 'tokens-4');
      await assert.rejects(delta(ws, 0), /delta_must_not_be_zero/);
      await assert.rejects(delta(randomUUID(), 5), /workspace_not_found/);
    });

    it('50 concurrent deltas leave balance = sum of ledger, never below zero', async () => {
      const ws = await createWorkspace(db.pool, 'tokens-5');
      await delta(ws, 100);
      const amounts = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 40 : -25));
      const results = await Promise.allSettled(amounts.map((amount, i) => delta(ws, amount, i % 10 === 0 ? 'same-ref' : null)));
      for (const result of results) {
        if (result.status === 'rejected') assert.match(String(result.reason), /insufficient_balance/);
      }
      const { balance } = await one(db.pool, 'select balance from workspace_token_balance where workspace_id = $1', [ws]);
      const { sum } = await one(db.pool, 'select sum(delta)::bigint as sum from workspace_token_ledger where workspace_id = $1', [ws]);
      assert.equal(balance, sum);
      assert.ok(Number(balance) >= 0);
      const refs = await one(db.pool, 'select count(*)::int as n from workspace_token_ledger where ref_id = \'same-ref\'');
      assert.equal(refs.n, 1);
    });

    it('refuses ordinary users (not_platform_admin) and accepts platform admins', async () => {
      const ws = await createWorkspace(db.pool, 'tokens-6');
      const user = await createUser(db.pool, 'plain@example.com');
      await assert.rejects(asUser(db.pool, user, 'select * from apply_workspace_token_delta($1, 5, \'x\')', [ws]), /not_platform_admin/);
      await db.pool.query('insert into platform_admins (user_id, email) values ($1, \'plain@example.com\')', [user]);
      const rows = await asUser(db.pool, user, 'select * from apply_workspace_token_delta($1, 5, \'x\')', [ws]);
      assert.equal(rows[0]!.balance, 5);
    });
  });

  describe('entitlement upserts', () => {
    it('store a null or empty payload as {} and keep the payload on a plain enable', async () => {
      const ws = await createWorkspace(db.pool, 'ent-1');
      const enabled = await one(db.pool, 'select * from set_workspace_entitlement_payload($1, \'core_os\', true, null)', [ws]);
      assert.deepEqual(enabled.payload, {});
      await db.pool.query(`select * from set_workspace_entitlement_payload($1, 'core_os', true, '{"plan":"pro"}')`, [ws]);
      const disabled = await one(db.pool, 'select * from set_workspace_entitlement(\'ent-1\', \'core_os\', false, null, \'paused\')');
      assert.equal(disabled.enabled, false);
      assert.deepEqual(disabled.payload, { plan: 'pro' });
      assert.equal(disabled.reason, 'paused');
      await assert.rejects(db.pool.query(`select * from set_workspace_entitlement_payload($1, 'core_os', true, '[1]')`, [ws]), /payload_must_be_object/);
    });
  });

  describe('take_rate_limit_slot', () => {
    it('never grants more than the cap in a window under 32 concurrent callers', async () => {
      const key = `rl-${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 32 }, () => one<{ ok: boolean }>(db.pool, 'select take_rate_limit_slot($1, 10, 3600) as ok', [key])),
      );
      assert.equal(results.filter((r) => r.ok).length, 10);
    });

    it('opens a new window when the old one ends', async () => {
      const key = `rl-${randomUUID()}`;
      assert.equal((await one(db.pool, 'select take_rate_limit_slot($1, 1, 1) as ok', [key])).ok, true);
      assert.equal((await one(db.pool, 'select take_rate_limit_slot($1, 1, 1) as ok', [key])).ok, false);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal((await one(db.pool, 'select take_rate_limit_slot($1, 1, 1) as ok', [key])).ok, true);
    });
  });

  describe('take_sliding_rate_limit_slot', () => {
    type Slot = { granted: boolean; slot_window: Date | null; retry_after_seconds: number };
    const take = (key: string, cap: number, windowSeconds: number) =>
      one<Slot>(db.pool, 'select * from take_sliding_rate_limit_slot($1, $2, $3)', [key, cap, windowSeconds]);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    /** Waits until `fraction` of a `windowSeconds` window has passed (by the database's clock). */
    const waitUntilFraction = async (windowSeconds: number, fraction: number) => {
      const { now } = await one<{ now: number }>(db.pool, 'select extract(epoch from clock_timestamp())::float8 as now');
      const into = (now % windowSeconds) / windowSeconds;
      await sleep((((fraction - into + 1) % 1) * windowSeconds * 1000));
    };

    it('never grants more than the cap in a window under 32 concurrent callers', async () => {
      const key = `srl-${randomUUID()}`;
      const results = await Promise.all(Array.from({ length: 32 }, () => take(key, 10, 3600)));
      assert.equal(results.filter((r) => r.granted).length, 10);
      assert.ok(results.filter((r) => !r.granted).every((r) => r.slot_window === null && r.retry_after_seconds >= 1));
    });

    it('a burst at the end of one window still counts at the start of the next', async () => {
      const key = `srl-${randomUUID()}`;
      await waitUntilFraction(4, 0.8);
      for (let i = 0; i < 4; i++) assert.equal((await take(key, 4, 4)).granted, true, `slot ${i + 1}`);
      await waitUntilFraction(4, 0.05);
      // A fixed window would grant 4 more here; the sliding estimate is still about 4 × 0.95.
      const refused = await take(key, 4, 4);
      assert.equal(refused.granted, false);
      assert.ok(refused.retry_after_seconds >= 1 && refused.retry_after_seconds <= 4, `retry after ${refused.retry_after_seconds}`);
      await sleep(refused.retry_after_seconds * 1000);
      assert.equal((await take(key, 4, 4)).granted, true, 'granted once the Retry-After has passed');
    });
  });

  describe('claim_outbox', () => {
    const queue = async (ws: string, n: number) => {
      await db.pool.query(
        `insert into outbox_messages (workspace_id, to_phone, idempotency_key)
         select $1::uuid, '628' || i, $1::text || '-' || i from generate_series(1, $2) i`,
        [ws, n],
      );
    };

    it('two concurrent claimers never get the same row', async () => {
      const ws = await createWorkspace(db.pool, 'outbox-1');
      await queue(ws, 200);
      const claim = (worker: string) =>
        db.pool.query<{ id: string }>('select id from claim_outbox(25, $1)', [worker]).then((r) => r.rows.map((row) => row.id));
      const batches = await Promise.all(Array.from({ length: 8 }, (_, i) => claim(`w${i % 2}`)));
      const ids = batches.flat();
      assert.equal(ids.length, 200);
      assert.equal(new Set(ids).size, 200);
      assert.equal((await claim('late')).length, 0);
    });

    it('a row whose lease expired is claimable again', async () => {
      const ws = await createWorkspace(db.pool, 'outbox-2');
      await queue(ws, 1);
      const [first] = (await db.pool.query('select id, attempts from claim_outbox(10, $1) where workspace_id = $2', ['dead', ws])).rows;
      assert.equal(first.attempts, 1);
      const client = await db.pool.connect();
      try {
        await client.query('set wabase.outbox_lease_seconds = \'60\'');
        assert.equal((await client.query('select id from claim_outbox(10, $1) where workspace_id = $2', ['alive', ws])).rowCount, 0);
        await client.query('update outbox_messages set locked_at = now() - interval \'2 minutes\' where id = $1', [first.id]);
        const again = (await client.query('select id, locked_by, attempts from claim_outbox(10, $1) where workspace_id = $2', ['alive', ws])).rows;
        assert.deepEqual(again, [{ id: first.id, locked_by: 'alive', attempts: 2 }]);
      } finally {
        await client.query('reset wabase.outbox_lease_seconds');
        client.release();
      }
    });
  });
});
