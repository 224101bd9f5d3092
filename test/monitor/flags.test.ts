// Runtime flags: written by the UI, picked up by the worker through NOTIFY (or polling), acted on once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchFlags } from '../../src/monitor/flag-watcher.js';
import { claimFlag, type FlagKey, requestFlag } from '../../src/monitor/flags.js';
import { freshDatabase } from '../helpers/db.js';
import { serverLogger } from '../helpers/run-log.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runtime flags', async () => {
  const db = await freshDatabase();
  const logger = serverLogger();
  await db.pool.query('delete from runtime_flags');

  it('a flag written while two workers watch is acted on exactly once, and cleared', async () => {
    const acted: string[] = [];
    const watcher = (name: string) => watchFlags({
      pool: db.pool, logger, pollMs: 60_000,
      onFlags: async (keys: FlagKey[]) => {
        for (const key of keys) if (await claimFlag(db.pool, key)) acted.push(`${name}:${key}`);
      },
    });
    const a = watcher('a');
    const b = watcher('b');
    await sleep(200); // both listening
    const asked = Date.now();
    await requestFlag(db.pool, 'fetch_groups_requested', 1);
    while (acted.length === 0 && Date.now() - asked < 2000) await sleep(10);
    const latency = Date.now() - asked;
    await sleep(300);
    await Promise.all([a.stop(), b.stop()]);
    assert.equal(acted.length, 1, acted.join());
    assert.ok(latency < 1000, `picked up after ${latency} ms`);
    assert.equal((await db.pool.query('select count(*)::int n from runtime_flags')).rows[0].n, 0);
  });

  it('without NOTIFY (trigger disabled) polling still picks the flag up', async () => {
    await db.pool.query('alter table runtime_flags disable trigger runtime_flags_notify');
    const acted: FlagKey[] = [];
    const watcher = watchFlags({
      pool: db.pool, logger, pollMs: 250,
      onFlags: async (keys) => {
        for (const key of keys) if (await claimFlag(db.pool, key)) acted.push(key);
      },
    });
    await sleep(100);
    await requestFlag(db.pool, 'wa_refresh_qr_requested', 1);
    const asked = Date.now();
    while (acted.length === 0 && Date.now() - asked < 2000) await sleep(10);
    await watcher.stop();
    await db.pool.query('alter table runtime_flags enable trigger runtime_flags_notify');
    assert.deepEqual(acted, ['wa_refresh_qr_requested']);
  });

  it('the same flag requested again within the interval is refused with 429 semantics', async () => {
    await requestFlag(db.pool, 'wa_disconnect_requested', 30);
    await assert.rejects(requestFlag(db.pool, 'wa_disconnect_requested', 30), (error: { status?: number; retryAfterSeconds?: number }) => error.status === 429 && (error.retryAfterSeconds ?? 0) >= 1);
    // Another flag is not limited by this one.
    await requestFlag(db.pool, 'fetch_groups_requested', 30);
  });
});
