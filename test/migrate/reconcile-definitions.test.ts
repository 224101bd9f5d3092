import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectPaths } from '../../src/migrate/files.js';
import { push } from '../../src/migrate/push.js';
import { renderReconcile } from '../../src/migrate/reconcile/file.js';
import { planReconcile } from '../../src/migrate/reconcile/generate.js';
import { verify } from '../../src/migrate/verify.js';
import { freshDatabase } from '../helpers/db.js';
import { one } from '../helpers/sql.js';

const repo = projectPaths();

describe('reconcile covers functions, triggers and views', () => {
  it('a dropped function comes back with its revokes, a changed one is replaced, triggers and a view restored; verify green', async () => {
    const db = await freshDatabase();
    await db.pool.query(`
      drop function public.take_rate_limit_slot(text, integer, integer);
      alter function public.claim_outbox(integer, text) set search_path = public;
      alter table public.wa_messages disable trigger wa_messages_notify_insert;
      drop trigger wa_threads_notify_update on public.wa_threads;
      drop view public.messages_latest_per_group;`);
    const before = await verify(db.url, repo.lock);
    assert.equal(before.ok, false);
    const plan = await planReconcile(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock });
    const reasons = plan.items.map((i) => `${i.mark} ${i.reason}`).sort();
    const view = 'DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE on view messages_latest_per_group';
    assert.deepEqual(reasons, [
      `safe anon lacks ${view}`,
      `safe authenticated lacks ${view}`,
      'safe function claim_outbox(p_limit integer, p_worker text): config differs; create or replace keeps its owner and grants',
      'safe function take_rate_limit_slot(p_key text, p_cap integer, p_window_seconds integer) is missing: made again from the migrations, ' +
      'with its grants and revokes (service_role)',
      `safe service_role lacks ${view}`,
      'safe trigger wa_messages.wa_messages_notify_insert is disabled',
      'safe trigger wa_threads.wa_threads_notify_update is missing',
      'safe view messages_latest_per_group is missing (create or replace: the rehearsal proves the columns are compatible)',
    ]);
    const text = renderReconcile(plan);
    // Fully qualified definitions, under the file's short lock_timeout.
    assert.match(text, /set local lock_timeout = '2s';/);
    assert.match(text, /CREATE OR REPLACE FUNCTION public\.take_rate_limit_slot\(p_key text, p_cap integer, p_window_seconds integer\)/);
    const revoke = 'revoke all on function public.take_rate_limit_slot(p_key text, p_cap integer, p_window_seconds integer) ' +
      'from public, "anon", "authenticated", "service_role";\n';
    assert.ok(text.includes(revoke), 'the re-made function revokes what new functions get by default');
    assert.match(text, /CREATE OR REPLACE TRIGGER wa_threads_notify_update AFTER UPDATE .*ON public\.wa_threads /);
    assert.equal(plan.rehearsal?.ok, true, plan.rehearsal?.detail);
    const result = await push(db.url, { migrationsDir: repo.migrations, lockFile: repo.lock, reconcile: { file: 'defs.sql', sql: text } });
    assert.equal(result.verify?.ok, true, result.verify?.errors.map((e) => e.message).join('\n'));
    assert.deepEqual(await one(db.pool, `select
      has_function_privilege('anon', 'public.take_rate_limit_slot(text, integer, integer)', 'execute') as anon,
      has_function_privilege('authenticated', 'public.take_rate_limit_slot(text, integer, integer)', 'execute') as authenticated,
      has_function_privilege('service_role', 'public.take_rate_limit_slot(text, integer, integer)', 'execute') as service`),
    { anon: false, authenticated: false, service: true });
    assert.deepEqual((await verify(db.url, repo.lock)).errors.map((e) => e.message), []);
  });
});
