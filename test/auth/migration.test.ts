import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freshDatabase } from '../helpers/db.js';
import { asAnon, asUser, createUser } from '../helpers/sql.js';

const migrations = path.join(import.meta.dirname, '../../supabase/migrations');
const compat = fs.readFileSync(path.join(migrations, '20260101000000_supabase_compat.sql'), 'utf8');
const localAuth = fs.readFileSync(path.join(migrations, '20261201000200_local_auth.sql'), 'utf8');
const TABLES = ['auth_sessions', 'auth_refresh_tokens', 'auth_setup_links', 'auth_oauth_states'];

const USERS_COLUMNS = `select jsonb_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull order by a.attnum) as columns
  from pg_attribute a where a.attrelid = 'auth.users'::regclass and a.attnum > 0 and not a.attisdropped`;

describe('local auth migration', () => {
  it('adds the GoTrue columns wabase needs to the compat auth.users', async () => {
    const db = await freshDatabase();
    const { rows } = await db.pool.query(`select attname, format_type(atttypid, atttypmod) as type from pg_attribute
      where attrelid = 'auth.users'::regclass and attname in ('aud', 'role', 'encrypted_password', 'email_confirmed_at', 'last_sign_in_at', 'raw_app_meta_data')
      order by attname`);
    assert.deepEqual(rows, [
      { attname: 'aud', type: 'text' },
      { attname: 'email_confirmed_at', type: 'timestamp with time zone' },
      { attname: 'encrypted_password', type: 'text' },
      { attname: 'last_sign_in_at', type: 'timestamp with time zone' },
      { attname: 'raw_app_meta_data', type: 'jsonb' },
      { attname: 'role', type: 'text' },
    ]);
  });

  it('changes nothing in a Supabase auth.users that already has those columns (GoTrue\'s types kept)', async () => {
    const db = await freshDatabase({ empty: true });
    await db.pool.query(`
      create schema auth;
      create table auth.users (id uuid primary key, instance_id uuid, aud varchar(255), role varchar(255), email varchar(255),
        encrypted_password varchar(255), email_confirmed_at timestamptz, last_sign_in_at timestamptz,
        raw_app_meta_data jsonb, raw_user_meta_data jsonb, created_at timestamptz, updated_at timestamptz,
        is_sso_user boolean not null default false);`);
    await db.pool.query(compat);
    const before = (await db.pool.query(USERS_COLUMNS)).rows[0].columns;
    await db.pool.query(localAuth);
    await db.pool.query(localAuth);
    assert.deepEqual((await db.pool.query(USERS_COLUMNS)).rows[0].columns, before);
    const created = await db.pool.query('select count(*)::int as n from pg_tables where schemaname = \'public\' and tablename = any($1)', [TABLES]);
    assert.equal(created.rows[0].n, 4);
  });

  it('the anon key and signed-in users can read none of the auth tables', async () => {
    const db = await freshDatabase();
    const user = await createUser(db.pool, 'rls@auth.example');
    for (const table of TABLES) {
      await assert.rejects(asAnon(db.pool, `select * from public.${table}`), { code: '42501' }, table);
      await assert.rejects(asUser(db.pool, user, `select * from public.${table}`), { code: '42501' }, table);
    }
    const rls = await db.pool.query('select relname from pg_class where relname = any($1) and relrowsecurity order by 1', [TABLES]);
    assert.equal(rls.rows.length, 4);
  });
});
