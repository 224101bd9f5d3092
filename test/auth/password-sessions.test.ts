import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthApiError, AuthSessionMissingError, AuthWeakPasswordError, isAuthApiError } from '@supabase/auth-js';
import { decodeJwt } from 'jose';
import { freshDatabase } from '../helpers/db.js';
import { localAuthApp, passwordUser } from '../helpers/local-auth.js';
import { one } from '../helpers/sql.js';

describe('wabase /auth/v1 driven by the real @supabase/auth-js client', async () => {
  const db = await freshDatabase();
  const auth = await localAuthApp(db, { AUTH_LOGIN_RATE_LIMIT_PER_IP: '1000', AUTH_LOGIN_RATE_LIMIT_PER_EMAIL: '1000' });
  const aliceId = await passwordUser(db, 'alice@auth.example', 'correct horse battery');

  const signedIn = async (email = 'alice@auth.example', password = 'correct horse battery') => {
    const client = auth.client();
    const { data, error } = await client.signInWithPassword({ email, password });
    assert.equal(error, null, error?.message);
    return { client, session: data.session! };
  };

  it('signs in with email and password: a GoTrue session and user', async () => {
    const { session } = await signedIn('Alice@Auth.Example');
    assert.equal(session.token_type, 'bearer');
    assert.equal(session.expires_in, 3600);
    assert.ok(Math.abs(session.expires_at! - (Date.now() / 1000 + 3600)) < 5);
    assert.ok(session.refresh_token.length >= 43, 'at least 256 bits, base64url');
    const user = session.user;
    assert.equal(user.id, aliceId);
    assert.equal(user.email, 'alice@auth.example');
    assert.equal(user.aud, 'authenticated');
    assert.equal(user.role, 'authenticated');
    assert.ok(user.email_confirmed_at && user.confirmed_at && user.last_sign_in_at);
    assert.deepEqual(user.app_metadata, { provider: 'email', providers: ['email'] });
    assert.deepEqual(user.user_metadata, {});
    assert.equal(user.identities?.[0]?.provider, 'email');
    assert.equal(user.is_anonymous, false);
    const claims = decodeJwt(session.access_token);
    assert.equal(claims.sub, aliceId);
    assert.equal(claims.email, 'alice@auth.example');
    assert.equal(claims.role, 'authenticated');
    assert.equal(claims.aud, 'authenticated');
    assert.equal(claims.is_anonymous, false);
    assert.equal(claims.exp! - claims.iat!, 3600);
    assert.deepEqual(claims.app_metadata, { provider: 'email', providers: ['email'] });
    const sessionRow = await one(db.pool, 'select user_id from auth_sessions where id = $1', [claims.session_id]);
    assert.equal(sessionRow.user_id, aliceId);
    const stored = await one(db.pool, `select count(*) filter (where token_hash = $1)::int as plain,
      count(*) filter (where token_hash = encode(sha256(convert_to($1, 'utf8')), 'hex'))::int as hashed from auth_refresh_tokens`, [session.refresh_token]);
    assert.deepEqual(stored, { plain: 0, hashed: 1 }, 'the refresh token itself is never stored, only its hash');
  });

  it('the access token works on the API (GET /api/me) and GET /user answers the user', async () => {
    const { client, session } = await signedIn();
    const me = await fetch(`${auth.origin}/api/me`, { headers: { authorization: `Bearer ${session.access_token}` } });
    assert.equal(me.status, 200);
    const body = (await me.json()) as Record<string, unknown>;
    assert.deepEqual([body.userId, body.email, body.dbRole], [aliceId, 'alice@auth.example', 'authenticated']);
    const { data, error } = await client.getUser();
    assert.equal(error, null);
    assert.equal(data.user?.id, aliceId);
  });

  it('a wrong password and an unknown email get the same answer, after the same bcrypt work', async () => {
    const raw = async (email: string) => {
      const started = performance.now();
      const res = await fetch(`${auth.origin}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { 'apikey': auth.anonKey, 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01' },
        body: JSON.stringify({ email, password: 'not the password' }),
      });
      return { status: res.status, body: await res.text(), ms: performance.now() - started };
    };
    const wrong = [await raw('alice@auth.example'), await raw('alice@auth.example'), await raw('alice@auth.example')];
    const unknown = [await raw('nobody@auth.example'), await raw('nobody@auth.example'), await raw('nobody@auth.example')];
    for (const res of [...wrong, ...unknown]) {
      assert.equal(res.status, 400);
      assert.equal(res.body, '{"code":"invalid_credentials","msg":"Invalid login credentials"}');
    }
    const median = (list: { ms: number }[]) => list.map((r) => r.ms).sort((a, b) => a - b)[1]!;
    assert.ok(median(unknown) > median(wrong) * 0.4, `unknown ${median(unknown)} ms vs wrong ${median(wrong)} ms`);
    const { error } = await auth.client().signInWithPassword({ email: 'nobody@auth.example', password: 'x' });
    assert.ok(error instanceof AuthApiError);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_credentials');
    assert.equal(error.message, 'Invalid login credentials');
  });

  /** Moves a session's tokens past the reuse interval, so presenting a used one again is theft. */
  const pastReuseInterval = (accessToken: string) =>
    db.pool.query('update auth_refresh_tokens set created_at = created_at - interval \'1 minute\' where session_id = $1', [decodeJwt(accessToken).session_id]);

  it('refresh rotates: a new refresh token each time, the used one is refused', async () => {
    const { client, session } = await signedIn();
    const first = await client.refreshSession();
    assert.equal(first.error, null);
    const rotated = first.data.session!;
    assert.notEqual(rotated.refresh_token, session.refresh_token);
    assert.equal(decodeJwt(rotated.access_token).session_id, decodeJwt(session.access_token).session_id);
    const second = await client.refreshSession();
    assert.equal(second.error, null, 'the newest token keeps working');
    await pastReuseInterval(session.access_token);
    const replay = await auth.client().refreshSession({ refresh_token: session.refresh_token });
    assert.ok(isAuthApiError(replay.error));
    assert.equal(replay.error.code, 'refresh_token_already_used');
  });

  it('a reused refresh token revokes its whole family: the newer token stops working too', async () => {
    const { client, session } = await signedIn();
    const newer = (await client.refreshSession()).data.session!;
    await pastReuseInterval(session.access_token);
    const thief = await auth.client().refreshSession({ refresh_token: session.refresh_token });
    assert.equal((thief.error as AuthApiError).code, 'refresh_token_already_used');
    const owner = await auth.client().refreshSession({ refresh_token: newer.refresh_token });
    assert.ok(isAuthApiError(owner.error));
    assert.equal(owner.error.code, 'refresh_token_not_found');
    const revoked = await one(db.pool, 'select revoked_at is not null as revoked from auth_sessions where id = $1', [decodeJwt(newer.access_token).session_id]);
    assert.equal(revoked.revoked, true);
    // GET /user with the family's access token now says the session is gone (auth-js: session missing).
    const { error } = await auth.client().getUser(newer.access_token);
    assert.ok(error instanceof AuthSessionMissingError);
  });

  it('within the reuse interval (two tabs refreshing at once, a lost answer retried) the old token rotates from its child; nothing is revoked', async () => {
    const { client, session } = await signedIn();
    const tabA = await client.refreshSession();
    assert.equal(tabA.error, null);
    const tabB = await auth.client().refreshSession({ refresh_token: session.refresh_token });
    assert.equal(tabB.error, null, 'the second tab is not taken for a thief');
    assert.equal(decodeJwt(tabB.data.session!.access_token).session_id, decodeJwt(session.access_token).session_id);
    assert.equal((await auth.client().refreshSession({ refresh_token: tabB.data.session!.refresh_token })).error, null);
    const live = await one(db.pool, 'select revoked_at is null as live from auth_sessions where id = $1', [decodeJwt(session.access_token).session_id]);
    assert.equal(live.live, true);
  });

  it('an unknown refresh token is refresh_token_not_found', async () => {
    const { error } = await auth.client().refreshSession({ refresh_token: 'made-up-token' });
    assert.ok(isAuthApiError(error));
    assert.equal(error.code, 'refresh_token_not_found');
  });

  it('logout (local) revokes the session: its refresh token and its access token stop working', async () => {
    const { client, session } = await signedIn();
    const other = await signedIn();
    assert.equal((await client.signOut({ scope: 'local' })).error, null);
    const refresh = await auth.client().refreshSession({ refresh_token: session.refresh_token });
    assert.equal((refresh.error as AuthApiError).code, 'refresh_token_not_found');
    assert.ok((await auth.client().getUser(session.access_token)).error instanceof AuthSessionMissingError);
    assert.equal((await other.client.refreshSession()).error, null, 'another session is untouched');
  });

  it('logout scopes: others keeps the caller, global ends every session', async () => {
    const a = await signedIn();
    const b = await signedIn();
    assert.equal((await a.client.signOut({ scope: 'others' })).error, null);
    assert.equal((await a.client.refreshSession()).error, null);
    assert.equal(((await b.client.refreshSession()).error as AuthApiError).code, 'refresh_token_not_found');
    const c = await signedIn();
    assert.equal((await c.client.signOut()).error, null);
    assert.equal(((await a.client.refreshSession()).error as AuthApiError).code, 'refresh_token_not_found');
    // Without X-Supabase-Api-Version, GoTrue's legacy error body.
    const res = await fetch(`${auth.origin}/auth/v1/logout`, { method: 'POST', headers: { apikey: auth.anonKey } });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { code: 401, error_code: 'no_authorization', msg: 'This endpoint requires a valid Bearer token' });
  });

  it('a password shorter than 8 characters is GoTrue\'s weak_password (422)', async () => {
    const { client } = await signedIn();
    const { error } = await client.updateUser({ password: 'short' });
    assert.ok(error instanceof AuthWeakPasswordError);
    assert.equal(error.status, 422);
    assert.equal(error.code, 'weak_password');
    assert.deepEqual(error.reasons, ['length']);
    assert.equal(error.message, 'Password should be at least 8 characters.');
  });

  it('password change: the new password signs in, the old one no longer does, other sessions end', async () => {
    await passwordUser(db, 'bob@auth.example', 'bob-old-password');
    const mine = await signedIn('bob@auth.example', 'bob-old-password');
    const elsewhere = await signedIn('bob@auth.example', 'bob-old-password');
    const same = await mine.client.updateUser({ password: 'bob-old-password' });
    assert.equal((same.error as AuthApiError).code, 'same_password');
    const { data, error } = await mine.client.updateUser({ password: 'bob-new-password' });
    assert.equal(error, null, error?.message);
    assert.equal(data.user?.email, 'bob@auth.example');
    const old = await auth.client().signInWithPassword({ email: 'bob@auth.example', password: 'bob-old-password' });
    assert.equal((old.error as AuthApiError).code, 'invalid_credentials');
    assert.equal((await auth.client().signInWithPassword({ email: 'bob@auth.example', password: 'bob-new-password' })).error, null);
    assert.equal((await mine.client.refreshSession()).error, null, 'the session that changed it stays');
    assert.equal(((await elsewhere.client.refreshSession()).error as AuthApiError).code, 'refresh_token_not_found');
    const hash = await one<{ h: string }>(db.pool, 'select encrypted_password as h from auth.users where email = \'bob@auth.example\'');
    assert.match(hash.h, /^\$2[aby]\$10\$/);
  });

  it('user metadata: data is merged, a null removes its key', async () => {
    const { client } = await signedIn();
    assert.deepEqual((await client.updateUser({ data: { name: 'Alice', team: 'ops' } })).data.user?.user_metadata, { name: 'Alice', team: 'ops' });
    assert.deepEqual((await client.updateUser({ data: { team: null } })).data.user?.user_metadata, { name: 'Alice' });
    const refreshed = (await client.refreshSession()).data.session!;
    assert.deepEqual(decodeJwt(refreshed.access_token).user_metadata, { name: 'Alice' });
  });
});
