import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freshDatabase } from '../helpers/db.js';

const compatFile = path.join(import.meta.dirname, '../../supabase/migrations/20260101000000_supabase_compat.sql');

/** Everything in the auth and storage schemas, with function bodies and column lists. */
const SNAPSHOT = `
  select jsonb_build_object(
    'relations', (select jsonb_agg(c.relname || ':' || c.relkind::text order by c.relname) from pg_class c
                  where c.relnamespace in ('auth'::regnamespace, 'storage'::regnamespace)),
    'columns', (select jsonb_agg(c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) order by 1)
                from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0
                where c.relnamespace in ('auth'::regnamespace, 'storage'::regnamespace) and c.relkind = 'r'),
    'functions', (select jsonb_agg(p.proname || '=' || md5(p.prosrc) order by p.proname) from pg_proc p
                  where p.pronamespace = 'auth'::regnamespace)
  ) as snapshot`;

describe('Supabase compat migration', () => {
  it('changes nothing on a database where Supabase already provides auth and storage', async () => {
    const db = await freshDatabase({ empty: true });
    // Supabase-like objects: different columns and function bodies than wabase's minimal ones.
    await db.pool.query(`
      create schema auth;
      create table auth.users (id uuid primary key, instance_id uuid, aud varchar(255), email varchar(255),
        encrypted_password varchar(255), raw_app_meta_data jsonb, raw_user_meta_data jsonb, is_sso_user boolean not null default false);
      create function auth.uid() returns uuid language sql stable as $$
        select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid -- supabase original $$;
      create function auth.role() returns text language sql stable as $$ select 'supabase'::text $$;
      create function auth.email() returns text language sql stable as $$ select 'supabase'::text $$;
      create function auth.jwt() returns jsonb language sql stable as $$ select '{}'::jsonb $$;
      create schema storage;
      create table storage.buckets (id text primary key, name text not null, owner uuid, public boolean default false,
        avif_autodetection boolean default false, file_size_limit bigint, allowed_mime_types text[]);
      create table storage.objects (id uuid primary key, bucket_id text references storage.buckets(id), name text,
        owner uuid, metadata jsonb, path_tokens text[], version text);
    `);
    const before = (await db.pool.query(SNAPSHOT)).rows[0].snapshot;
    await db.pool.query(fs.readFileSync(compatFile, 'utf8'));
    const after = (await db.pool.query(SNAPSHOT)).rows[0].snapshot;
    assert.deepEqual(after, before);
  });

  it('creates auth.uid() that reads request.jwt.claims exactly as Supabase', async () => {
    const db = await freshDatabase({ empty: true });
    await db.pool.query(fs.readFileSync(compatFile, 'utf8'));
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('request.jwt.claims', '{"sub":"8d6f1c9e-3b0a-4a7e-9d7c-111111111111","role":"authenticated","email":"x@y.z"}', true)`);
      const row = (await client.query('select auth.uid()::text as uid, auth.role() as role, auth.email() as email, auth.jwt() ->> $1 as sub', ['sub'])).rows[0];
      assert.deepEqual(row, { uid: '8d6f1c9e-3b0a-4a7e-9d7c-111111111111', role: 'authenticated', email: 'x@y.z', sub: '8d6f1c9e-3b0a-4a7e-9d7c-111111111111' });
      await client.query('rollback');
    } finally {
      client.release();
    }
    const roles = (await db.pool.query('select rolname, rolbypassrls from pg_roles where rolname in (\'anon\',\'authenticated\',\'service_role\') order by 1')).rows;
    assert.deepEqual(roles, [
      { rolname: 'anon', rolbypassrls: false },
      { rolname: 'authenticated', rolbypassrls: false },
      { rolname: 'service_role', rolbypassrls: true },
    ]);
  });
});
