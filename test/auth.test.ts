import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mintAccessToken, verifyAccessToken } from '../src/auth/jwt.js';
import { withUser } from '../src/db/with-user.js';
import { UnauthorizedError } from '../src/errors.js';
import { testApp, testJwtKey, testUser } from './helpers/app.js';
import { freshDatabase } from './helpers/db.js';

describe('auth', async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db);
  const alice = await testUser(db, 'alice@example.com');

  it('accepts a valid token and the database sees the caller under RLS', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${alice.token}` },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { userId: alice.id, email: 'alice@example.com', dbRole: 'authenticated', platformAdmin: false, monitor: null });
  });

  it('rejects a missing token with 401 missing_token', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/me' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'missing_token');
  });

  it('rejects an expired token with 401 token_expired', async () => {
    const expired = await mintAccessToken(testJwtKey, { sub: alice.id, expiresIn: -10 });
    const res = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${expired}` },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'token_expired');
  });

  it('rejects a token signed with another secret with 401 invalid_token', async () => {
    const forged = await mintAccessToken(
      new TextEncoder().encode('another-secret-another-secret-0123456789'),
      {
        sub: alice.id,
      },
    );
    const res = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${forged}` },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'invalid_token');
  });

  it('rejects garbage and tokens without exp', async () => {
    await assert.rejects(verifyAccessToken('not.a.jwt', testJwtKey), UnauthorizedError);
    const { SignJWT } = await import('jose');
    const noExp = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(alice.id)
      .sign(testJwtKey);
    await assert.rejects(verifyAccessToken(noExp, testJwtKey), UnauthorizedError);
  });

  it('withUser switches role and claims for the transaction only', async () => {
    const claims = { sub: alice.id, email: alice.email, role: 'authenticated' };
    const inside = await withUser(db.pool, claims, async (client) => {
      const result = await client.query(
        'select current_user as role, auth.uid()::text as uid, auth.email() as email',
      );
      return result.rows[0];
    });
    assert.deepEqual(inside, { role: 'authenticated', uid: alice.id, email: alice.email });
    const outside = await db.pool.query('select current_user as role, auth.uid() as uid');
    assert.notEqual(outside.rows[0].role, 'authenticated');
    assert.equal(outside.rows[0].uid, null);
  });

  it('withUser rolls back when the callback throws', async () => {
    await assert.rejects(
      withUser(db.pool, { sub: alice.id, role: 'authenticated' }, async (client) => {
        await client.query('select 1');
        throw new Error('callback failed');
      }),
      /callback failed/,
    );
    const after = await db.pool.query('select current_user as role');
    assert.notEqual(after.rows[0].role, 'authenticated');
  });
});
