import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { decryptSecret, encryptionKey } from '../../src/hub/crypto.js';
import { freshDatabase } from '../helpers/db.js';
import { FakeOidc } from '../helpers/fake-oidc.js';
import { type LocalAuthApp, localAuthApp, passwordUser } from '../helpers/local-auth.js';
import { one } from '../helpers/sql.js';

/** What a browser does, one redirect at a time: our authorize -> provider -> our callback. */
async function startFlow(auth: LocalAuthApp, redirectTo = '/ops/platform-admin') {
  const start = await fetch(`${auth.origin}/auth/v1/authorize?provider=google&redirect_to=${encodeURIComponent(redirectTo)}`, { redirect: 'manual' });
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { status: start.status, location: start.headers.get('location') ?? '', cookie };
}

async function followProvider(location: string): Promise<URL> {
  const res = await fetch(location, { redirect: 'manual' });
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location')!);
}

async function callback(url: URL | string, cookie: string) {
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  assert.equal(res.status, 302, `callback answered ${res.status}`);
  return res.headers.get('location')!;
}

function signInError(location: string): { code: string | null; description: string | null } {
  const url = new URL(location, 'http://x');
  assert.equal(url.pathname, '/sign-in', location);
  return { code: url.searchParams.get('error_code'), description: url.searchParams.get('error_description') };
}

describe('Google sign-in against a fake OpenID provider', async () => {
  const google = await new FakeOidc().start();
  const db = await freshDatabase();
  const logLines: string[] = [];
  const env = { GOOGLE_CLIENT_ID: google.clientId, GOOGLE_CLIENT_SECRET: google.clientSecret, GOOGLE_ISSUER: google.issuer };
  const auth = await localAuthApp(db, env, { logLines });
  const fullFlow = async (redirectTo?: string) => {
    const flow = await startFlow(auth, redirectTo);
    assert.equal(flow.status, 302);
    return callback(await followProvider(flow.location), flow.cookie);
  };

  it('the settings offer Google; authorize sends the browser to the provider with PKCE S256, state and nonce', async () => {
    assert.equal(((await (await fetch(`${auth.origin}/api/auth/settings`)).json()) as { google: boolean }).google, true);
    const flow = await startFlow(auth);
    const url = new URL(flow.location);
    assert.equal(url.origin, google.issuer);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.match(url.searchParams.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(url.searchParams.get('state') && url.searchParams.get('nonce'));
    assert.equal(url.searchParams.get('redirect_uri'), `${auth.origin}/auth/v1/callback`);
    assert.match(flow.cookie, /^wabase_oauth=/);
  });

  it('happy path: user created by verified email, session in the fragment, Google tokens stored encrypted', async () => {
    const location = await fullFlow('/ops/platform-admin?tab=1');
    const url = new URL(location, auth.origin);
    assert.equal(`${url.pathname}${url.search}`, '/ops/platform-admin?tab=1');
    const fragment = new URLSearchParams(url.hash.slice(1));
    assert.deepEqual([...fragment.keys()].sort(), ['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(fragment.get('token_type'), 'bearer');
    const accessToken = fragment.get('access_token')!;
    const me = await fetch(`${auth.origin}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { email: string }).email, 'gail@gmail.example');
    const client = auth.client();
    const { data } = await client.getUser(accessToken);
    assert.deepEqual(data.user?.app_metadata, { provider: 'google', providers: ['google'] });
    assert.equal(data.user?.user_metadata.full_name, 'Gail Google');
    assert.ok(data.user?.email_confirmed_at);
    assert.deepEqual(decodeJwt(accessToken).app_metadata, { provider: 'google', providers: ['google'] });
    const refreshed = await client.refreshSession({ refresh_token: fragment.get('refresh_token')! });
    assert.equal(refreshed.error, null, 'the session refreshes like a password one');

    const row = await one<{ access_token_enc: string; refresh_token_enc: string; email: string; name: string; expiry: Date }>(
      db.pool,
      'select access_token_enc, refresh_token_enc, email, name, expiry from google_tokens where google_user_id = $1',
      [google.profile.sub],
    );
    const issued = google.issued.at(-1)!;
    assert.equal(row.access_token_enc.includes(issued.accessToken), false);
    assert.equal(row.refresh_token_enc.includes(issued.refreshToken!), false);
    const key = encryptionKey(auth.ctx.config);
    assert.equal(decryptSecret(key, row.access_token_enc), issued.accessToken);
    assert.equal(decryptSecret(key, row.refresh_token_enc), issued.refreshToken);
    assert.ok(Math.abs(row.expiry.getTime() - Date.now() - 3599_000) < 60_000);
    const everything = logLines.join('\n');
    for (const secret of [issued.accessToken, issued.refreshToken!, accessToken, fragment.get('refresh_token')!]) assert.equal(everything.includes(secret), false);
  });

  it('signing in again updates the stored tokens, keeping the refresh token when Google sends none', async () => {
    const before = await one<{ refresh_token_enc: string }>(db.pool, 'select refresh_token_enc from google_tokens where google_user_id = $1', [google.profile.sub]);
    const firstRefresh = google.issued.at(-1)!.refreshToken;
    google.issueRefreshToken = false;
    try {
      assert.equal(new URL(await fullFlow(), auth.origin).pathname, '/ops/platform-admin');
    } finally {
      google.issueRefreshToken = true;
    }
    const after = await one<{ access_token_enc: string; refresh_token_enc: string }>(db.pool, 'select access_token_enc, refresh_token_enc from google_tokens where google_user_id = $1', [google.profile.sub]);
    const key = encryptionKey(auth.ctx.config);
    assert.equal(decryptSecret(key, after.access_token_enc), google.issued.at(-1)!.accessToken);
    assert.equal(after.refresh_token_enc, before.refresh_token_enc);
    assert.equal(decryptSecret(key, after.refresh_token_enc), firstRefresh);
    assert.equal((await one(db.pool, 'select count(*)::int as n from auth.users where email = \'gail@gmail.example\'')).n, 1);
  });

  it('a password user with the same verified email is the same user, now with both providers', async () => {
    const id = await passwordUser(db, 'hank@gmail.example', 'hank-password');
    google.profile = { sub: '1000002', email: 'Hank@Gmail.Example', email_verified: true, name: 'Hank' };
    const fragment = new URLSearchParams(new URL(await fullFlow(), auth.origin).hash.slice(1));
    const claims = decodeJwt(fragment.get('access_token')!);
    assert.equal(claims.sub, id);
    assert.deepEqual(claims.app_metadata, { provider: 'email', providers: ['email', 'google'] });
  });

  it('a tampered or missing state, or another browser, lands on the sign-in page with invalid_state', async () => {
    const flow = await startFlow(auth);
    const back = await followProvider(flow.location);
    const tampered = new URL(back);
    tampered.searchParams.set('state', `${back.searchParams.get('state')}x`);
    assert.equal(signInError(await callback(tampered, flow.cookie)).code, 'invalid_state');
    const noState = new URL(back);
    noState.searchParams.delete('state');
    assert.equal(signInError(await callback(noState, flow.cookie)).code, 'invalid_state');
    assert.equal(signInError(await callback(back, 'wabase_oauth=someone-elses-browser')).code, 'invalid_state');
    const error = signInError(await callback(back, flow.cookie));
    assert.equal(error.code, 'invalid_state', 'the state was used by the attempt above: single use');
    assert.equal(error.description, 'This sign-in attempt is invalid or has expired. Please sign in again.');
  });

  it('an expired flow (past its 10 minutes) is refused', async () => {
    const flow = await startFlow(auth);
    const back = await followProvider(flow.location);
    await db.pool.query('update auth_oauth_states set expires_at = now() - interval \'1 second\'');
    assert.equal(signInError(await callback(back, flow.cookie)).code, 'invalid_state');
  });

  it('a reused code is refused by the provider: invalid_grant', async () => {
    const first = await startFlow(auth);
    const used = await followProvider(first.location);
    await callback(used, first.cookie);
    const second = await startFlow(auth);
    const fresh = await followProvider(second.location);
    const replay = new URL(fresh);
    replay.searchParams.set('code', used.searchParams.get('code')!);
    const error = signInError(await callback(replay, second.cookie));
    assert.equal(error.code, 'invalid_grant');
    assert.equal(google.lastTokenError, 'code_reused');
    assert.match(error.description!, /already used or has expired/);
  });

  it('an unverified email is refused and creates no user', async () => {
    google.profile = { sub: '1000003', email: 'ivy@gmail.example', email_verified: false };
    const error = signInError(await fullFlow());
    assert.equal(error.code, 'email_not_verified');
    assert.equal(error.description, 'Your Google email address is not verified, so it cannot be used to sign in.');
    assert.equal((await one(db.pool, 'select count(*)::int as n from auth.users where email = \'ivy@gmail.example\'')).n, 0);
    assert.equal((await one(db.pool, 'select count(*)::int as n from google_tokens where google_user_id = \'1000003\'')).n, 0);
  });

  it('an expired ID token, a wrong nonce, a wrong audience or a foreign signature is refused', async () => {
    google.profile = { sub: '1000004', email: 'jack@gmail.example', email_verified: true };
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, () => void][] = [
      ['id_token_expired', () => (google.tamper = (claims) => ({ ...claims, iat: now - 7200, exp: now - 3600 }))],
      ['invalid_id_token', () => (google.tamper = (claims) => ({ ...claims, nonce: 'not-the-nonce' }))],
      ['invalid_id_token', () => (google.tamper = (claims) => ({ ...claims, aud: 'someone-else' }))],
      ['invalid_id_token', () => (google.signWithForeignKey = true)],
    ];
    try {
      for (const [code, setUp] of cases) {
        setUp();
        assert.equal(signInError(await fullFlow()).code, code);
        google.tamper = (claims) => claims;
        google.signWithForeignKey = false;
      }
    } finally {
      google.tamper = (claims) => claims;
      google.signWithForeignKey = false;
    }
    assert.equal((await one(db.pool, 'select count(*)::int as n from auth.users where email = \'jack@gmail.example\'')).n, 0);
  });

  it('the provider refusing (access_denied) is a provider_error', async () => {
    google.authorizeError = 'access_denied';
    try {
      const error = signInError(await fullFlow());
      assert.deepEqual(error, { code: 'provider_error', description: 'Google sign-in was cancelled.' });
    } finally {
      google.authorizeError = null;
    }
  });

  it('redirect_to must be a page of this site (no open redirect)', async () => {
    for (const target of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'http://127.0.0.1:1/elsewhere', '/.//evil.example', `${auth.origin}//evil.example`]) {
      const flow = await startFlow(auth, target);
      assert.equal(flow.status, 302);
      assert.equal(signInError(flow.location).code, 'invalid_redirect', target);
    }
    const absolute = await startFlow(auth, `${auth.origin}/monitor`);
    assert.equal(new URL(absolute.location).origin, google.issuer, 'an absolute URL of this origin is fine');
  });

  it('no code, state or token ever reaches the log', async () => {
    const flow = await startFlow(auth);
    const back = await followProvider(flow.location);
    await callback(back, flow.cookie);
    const everything = logLines.join('\n');
    for (const secret of [back.searchParams.get('code')!, back.searchParams.get('state')!, flow.cookie.split('=')[1]!]) {
      assert.equal(everything.includes(secret), false);
    }
  });
});

describe('Google sign-in when the provider cannot be reached, or is not configured', async () => {
  it('an unreachable provider is provider_unreachable; without a client id it is provider_disabled', async () => {
    const down = await localAuthApp(await freshDatabase(), { GOOGLE_CLIENT_ID: 'x', GOOGLE_CLIENT_SECRET: 'y', GOOGLE_ISSUER: 'http://127.0.0.1:9/' });
    assert.equal(signInError((await startFlow(down)).location).code, 'provider_unreachable');
    const off = await localAuthApp(await freshDatabase());
    assert.equal(signInError((await startFlow(off)).location).code, 'provider_disabled');
    const callbackWithoutGoogle = await fetch(`${off.origin}/auth/v1/callback?code=a&state=b`, { redirect: 'manual' });
    assert.equal(signInError(callbackWithoutGoogle.headers.get('location')!).code, 'provider_disabled');
  });
});
