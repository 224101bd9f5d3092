import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCatalog } from '../../src/migrate/catalog.js';
import { projectPaths } from '../../src/migrate/files.js';
import { verify } from '../../src/migrate/verify.js';
import { freshDatabase } from '../helpers/db.js';

const lock = projectPaths().lock;
const messages = (items: { message: string }[]) => items.map((item) => item.message).sort();

describe('catalog: privileges, function shape, sequences and types', () => {
  it('an anon grant on a server-only table is a security error, not a drift warning', async () => {
    const db = await freshDatabase();
    await db.pool.query('grant select on public.auth_sessions to anon');
    const result = await verify(db.url, lock);
    assert.equal(result.ok, false);
    assert.deepEqual(messages(result.errors), [
      'grant on table auth_sessions to anon: not in the lock (security: anon gains SELECT the lock does not grant)',
    ]);
  });

  it('a select grant back on a column-restricted table is a changed privilege', async () => {
    const db = await freshDatabase();
    await db.pool.query('grant select on public.wa_phone_numbers to authenticated');
    const result = await verify(db.url, lock);
    assert.deepEqual(messages(result.errors), [
      'grant on table wa_phone_numbers to authenticated: privileges expected DELETE,INSERT,REFERENCES,TRIGGER,TRUNCATE,UPDATE, got DELETE,INSERT,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE',
    ]);
  });

  it('a function re-created without its revokes is caught: public and anon may execute it again', async () => {
    const db = await freshDatabase();
    // What a hand fix does: drop and re-create from the body, forgetting the revoke/grant lines.
    const { rows } = await db.pool.query<{ def: string }>(
      `select pg_get_functiondef('public.claim_outbox(integer, text)'::regprocedure) as def`);
    await db.pool.query('drop function public.claim_outbox(integer, text)');
    await db.pool.query(rows[0]!.def);
    const result = await verify(db.url, lock);
    assert.deepEqual(messages(result.errors), [
      'grant on function claim_outbox(p_limit integer, p_worker text) to anon: not in the lock (security: anon gains EXECUTE the lock does not grant)',
      'grant on function claim_outbox(p_limit integer, p_worker text) to authenticated: not in the lock (security: authenticated gains EXECUTE the lock does not grant)',
      'grant on function claim_outbox(p_limit integer, p_worker text) to public: not in the lock (security: public gains EXECUTE the lock does not grant)',
    ]);
  });

  it('an extra permissive policy is an error; an extra restrictive one is a warning', async () => {
    const db = await freshDatabase();
    await db.pool.query(`
      create policy open_all on public.wa_saved_views for select to anon using (true);
      create policy narrow on public.wa_threads as restrictive for select to authenticated using (status <> 'closed');`);
    const result = await verify(db.url, lock);
    assert.deepEqual(messages(result.errors), [
      'policy wa_saved_views.open_all: not in the lock (security: an extra permissive policy widens row access)',
    ]);
    assert.deepEqual(messages(result.warnings), ['policy wa_threads.narrow: not in the lock']);
  });

  it('sees a function argument default, its full config and its owner', async () => {
    const db = await freshDatabase();
    await db.pool.query(`
      create role wabase_test_owner_${db.name};
      alter function public.take_rate_limit_slot(text, integer, integer) set work_mem = '1MB';
      alter function public.is_workspace_member(uuid) owner to wabase_test_owner_${db.name};`);
    const { rows } = await db.pool.query<{ def: string }>(
      `select pg_get_functiondef('public.apply_workspace_token_delta(uuid, bigint, text, text, text, uuid)'::regprocedure) as def`);
    await db.pool.query(rows[0]!.def.replace(`DEFAULT 'adjustment'::text`, `DEFAULT 'manual'::text`));
    try {
      const result = await verify(db.url, lock);
      const changed = result.errors.filter((e) => e.section === 'functions').map((e) => `${e.name.split('(')[0]} ${e.property}`).sort();
      assert.deepEqual(changed, ['apply_workspace_token_delta arguments', 'is_workspace_member owner', 'take_rate_limit_slot config']);
    } finally {
      await db.pool.query(`alter function public.is_workspace_member(uuid) owner to current_user; drop role wabase_test_owner_${db.name}`);
    }
  });

  it('default privileges of another role (as Supabase\'s supabase_admin has) are a drift warning, not a security error', async () => {
    const db = await freshDatabase();
    const role = `wabase_test_admin_${db.name}`;
    await db.pool.query(`create role ${role}; alter default privileges for role ${role} in schema public grant select on tables to anon`);
    try {
      const result = await verify(db.url, lock);
      assert.deepEqual(result.errors, []);
      assert.deepEqual(messages(result.warnings), [`grant on default tables of ${role} in public to anon: not in the lock`]);
    } finally {
      await db.pool.query(`alter default privileges for role ${role} in schema public revoke select on tables from anon; drop role ${role}`);
    }
  });

  it('reads sequences, enum and domain types, and default privileges', async () => {
    const db = await freshDatabase();
    const before = await readCatalog(db.pool);
    assert.equal((before.sequences['auth_refresh_tokens_id_seq'] as { owned_by: string }).owned_by, 'auth_refresh_tokens.id');
    assert.equal((before.privileges['default tables of current_user in public to anon'] as { privileges: string }).privileges,
      'DELETE,INSERT,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE');
    await db.pool.query(`
      create type public.mood as enum ('ok', 'bad');
      create domain public.positive as integer not null check (value > 0);
      alter sequence public.auth_refresh_tokens_id_seq increment by 5;
      alter default privileges in schema public revoke all on tables from anon;`);
    const after = await readCatalog(db.pool);
    assert.deepEqual(after.types['mood'], { kind: 'enum', labels: ['ok', 'bad'] });
    assert.deepEqual(after.types['positive'], { kind: 'domain', base: 'integer', not_null: true, default: null, checks: ['CHECK ((VALUE > 0))'] });
    const result = await verify(db.url, lock);
    assert.deepEqual(messages(result.errors), [
      'grant on default tables of current_user in public to anon: missing',
      'sequence auth_refresh_tokens_id_seq: increment expected 1, got 5',
    ]);
    assert.deepEqual(messages(result.warnings), ['type mood: not in the lock', 'type positive: not in the lock']);
  });
});
