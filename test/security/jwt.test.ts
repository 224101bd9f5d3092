// Issue 16, what held: forged, expired and over-claiming access tokens gain nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { mintAccessToken, mintAnonKey, verifyAccessToken } from '../../src/auth/jwt.js';
import { withUser } from '../../src/db/with-user.js';
import { testApp, testJwtKey, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { registerSecret } from '../helpers/secrets.js';
import { createWorkspace } from '../helpers/sql.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('JWT forgery', async () => {
  const db = await freshDatabase();
  const mallory = await testUser(db, 'mallory@jwt.example');
  const admin = await testUser(db, 'admin@jwt.example');
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [admin.id, admin.email]);
  const { app, ctx } = await testApp(db, { OPS_ADMIN_EMAILS: admin.email });
  const victim = await createWorkspace(db.pool, 'jwt-victim', [admin.id]);
  await db.pool.query('insert into wa_threads (workspace_id, phone_number_id, contact_wa_id) values ($1, \'PN-J\', \'6281\')', [victim]);

  /** Signs `claims` as the server would (the right key), with `sub` and `exp` unless given. */
  const signed = async (claims: Record<string, unknown>, key = testJwtKey, alg = 'HS256') => {
    const token = await new SignJWT({ sub: mallory.id, exp: now() + 600, aud: 'authenticated', ...claims }).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
    registerSecret(token, 'forged access token (jwt.test)');
    return token;
  };
  const call = (token: string, url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const me = async (token: string) => call(token, '/api/me');

  it('alg none (no signature, or the right one\'s signature kept) is a 401', async () => {
    const body = b64({ sub: admin.id, email: admin.email, role: 'authenticated', exp: now() + 600 });
    const real = (await mintAccessToken(testJwtKey, { sub: admin.id, email: admin.email })).split('.')[2];
    for (const header of [{ alg: 'none', typ: 'JWT' }, { alg: 'None' }, { alg: 'NONE' }, { alg: 'none', crit: [] }]) {
      for (const signature of ['', real]) {
        const res = await me(`${b64(header)}.${body}.${signature}`);
        assert.equal(res.statusCode, 401, `${JSON.stringify(header)} + ${signature ? 'a real signature' : 'none'}`);
        assert.equal(res.json().error.code, 'invalid_token');
      }
    }
  });

  it('another algorithm with the same secret (HS384, HS512) is a 401: only HS256 is accepted', async () => {
    for (const alg of ['HS384', 'HS512']) assert.equal((await me(await signed({}, testJwtKey, alg))).statusCode, 401, alg);
  });

  it('expired, not-yet-valid, without exp or without sub: 401', async () => {
    const expired = await me(await signed({ exp: now() - 1 }));
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().error.code, 'token_expired');
    assert.equal((await me(await signed({ nbf: now() + 600 }))).statusCode, 401, 'nbf in the future');
    assert.equal((await me(await signed({ exp: undefined }))).statusCode, 401, 'no exp');
    assert.equal((await me(await signed({ sub: undefined }))).statusCode, 401, 'no sub');
    assert.equal((await me(await signed({ sub: 'admin' }))).statusCode, 401, 'a sub that is no user id');
  });

  it('a wrong secret is a 401, even one that differs by one character or is empty-padded', async () => {
    const secret = new TextDecoder().decode(testJwtKey);
    for (const wrong of [`${secret.slice(0, -1)}X`, `${secret} `, secret.toUpperCase()]) {
      const res = await me(await signed({ sub: admin.id, email: admin.email }, new TextEncoder().encode(wrong)));
      assert.equal(res.statusCode, 401, wrong);
    }
  });

  it('other tokens signed with the same key are not access tokens: the anon key, a signed media URL token', async () => {
    const anon = await mintAnonKey(testJwtKey);
    const media = new URL(await ctx.mediaStore.signedUrl(`${'a'.repeat(64)}/original.png`, 60)).searchParams.get('token')!;
    for (const [name, token] of [['anon key', anon], ['media token', media]] as const) {
      const res = await me(token);
      assert.equal(res.statusCode, 401, name);
    }
  });

  it('role claims gain nothing: service_role, platform_admin, postgres and admin flags are an ordinary user', async () => {
    const claims = [
      { role: 'service_role' }, { role: 'platform_admin' }, { role: 'postgres' }, { role: 'supabase_admin' },
      { app_metadata: { role: 'platform_admin', provider: 'email' } }, { is_platform_admin: true, platform_admin: true, is_super_admin: true },
      { role: 'service_role', email: admin.email },
    ];
    for (const extra of claims) {
      const token = await signed(extra);
      const what = JSON.stringify(extra);
      const who = await me(token);
      assert.equal(who.statusCode, 200, what);
      assert.deepEqual([who.json().dbRole, who.json().platformAdmin], ['authenticated', false], what);
      assert.equal((await call(token, '/api/ops/workspaces')).statusCode, 403, `${what}: ops`);
      assert.equal((await call(token, '/api/monitor/status')).statusCode, 403, `${what}: monitor`);
      assert.equal((await call(token, `/api/meta/whatsapp/threads?workspaceId=${victim}`)).statusCode, 404, `${what}: another workspace`);
    }
  });

  it('inside the database a service_role claim is no service role either: auth.role() says authenticated and ops functions refuse', async () => {
    const claims = await verifyAccessToken(await signed({ role: 'service_role' }), testJwtKey);
    const inside = await withUser(db.pool, claims, async (client) => (await client.query('select auth.role() as role, current_user as db_role')).rows[0]);
    assert.deepEqual(inside, { role: 'authenticated', db_role: 'authenticated' });
    await assert.rejects(
      withUser(db.pool, claims, (client) => client.query('select public.set_workspace_entitlement($1, \'meta_hub\', true)', ['jwt-victim'])),
      /not_platform_admin/,
    );
    const entitlement = await db.pool.query('select 1 from workspace_entitlements where workspace_id = $1', [victim]);
    assert.equal(entitlement.rowCount, 0);
  });
});
