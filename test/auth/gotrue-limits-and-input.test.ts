import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAuthApiError } from '@supabase/auth-js';
import { decodeJwt } from 'jose';
import { testApp } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { localAuthApp, passwordUser } from '../helpers/local-auth.js';

const VERSION = { 'x-supabase-api-version': '2024-01-01' };

describe('/auth/v1: brute-force limits', async () => {
  const db = await freshDatabase();
  // Behind a proxy on 127.0.0.1 (TRUST_PROXY): each client's address arrives in X-Forwarded-For.
  const auth = await localAuthApp(db, { AUTH_LOGIN_RATE_LIMIT_PER_EMAIL: '3', AUTH_LOGIN_RATE_LIMIT_PER_IP: '8', TRUST_PROXY: '127.0.0.1' });
  await passwordUser(db, 'carol@limits.example', 'carol-password');
  await passwordUser(db, 'dave@limits.example', 'dave-password');
  const attempt = (email: string, password: string, ip = '203.0.113.7') =>
    fetch(`${auth.origin}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { ...VERSION, 'apikey': auth.anonKey, 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    });

  it('failed attempts per email: the 4th within a minute is 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await attempt('carol@limits.example', 'wrong')).status, 400);
    const limited = await attempt('carol@limits.example', 'carol-password');
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    // Sliding minute: the failures keep counting into the next minute, so the wait can pass 60 s.
    assert.ok(retryAfter >= 1 && retryAfter < 120, `Retry-After ${retryAfter}`);
    assert.deepEqual(await limited.json(), { code: 'over_request_rate_limit', msg: `Too many failed sign-ins: try again in ${limited.headers.get('retry-after')} s` });
    const { error } = await auth.client().signInWithPassword({ email: 'carol@limits.example', password: 'carol-password' });
    assert.ok(isAuthApiError(error));
    assert.equal(error.status, 429);
    assert.equal(error.code, 'over_request_rate_limit');
  });

  it('successful sign-ins do not count against the limit', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await attempt('dave@limits.example', 'dave-password', '198.51.100.1')).status, 200);
  });

  it('failed attempts per IP, across emails', async () => {
    for (let i = 0; i < 8; i++) assert.equal((await attempt(`guess${i}@limits.example`, 'x', '192.0.2.99')).status, 400);
    assert.equal((await attempt('dave@limits.example', 'dave-password', '192.0.2.99')).status, 429);
    assert.equal((await attempt('dave@limits.example', 'dave-password', '192.0.2.100')).status, 200, 'another IP is not affected');
  });
});

describe('/auth/v1: bad input is a GoTrue-shaped 4xx, never a 500', async () => {
  const db = await freshDatabase();
  const auth = await localAuthApp(db);
  const post = (path: string, body: string | undefined, headers: Record<string, string> = {}) =>
    fetch(`${auth.origin}/auth/v1${path}`, { method: 'POST', headers: { ...VERSION, 'apikey': auth.anonKey, 'content-type': 'application/json', ...headers }, body });

  it('malformed bodies, wrong types and unknown grants', async () => {
    const cases: [string, string | undefined, number, string][] = [
      ['/token?grant_type=password', '{"email":', 400, 'bad_json'],
      ['/token?grant_type=password', '[1,2]', 400, 'bad_json'],
      ['/token?grant_type=password', '"text"', 400, 'bad_json'],
      ['/token?grant_type=password', undefined, 400, 'bad_json'],
      ['/token?grant_type=password', '{"email":42,"password":"x"}', 400, 'validation_failed'],
      ['/token?grant_type=password', '{"password":"x"}', 400, 'validation_failed'],
      ['/token?grant_type=password', '{"email":"a@b.example","password":{"$gt":""}}', 400, 'invalid_credentials'],
      ['/token?grant_type=password', '{"email":"nul\\u0000@b.example","password":"x"}', 400, 'validation_failed'],
      ['/token?grant_type=refresh_token', '{}', 400, 'validation_failed'],
      ['/token?grant_type=refresh_token', '{"refresh_token":["a"]}', 400, 'validation_failed'],
      ['/token?grant_type=magic', '{}', 400, 'invalid_credentials'],
      ['/token', '{}', 400, 'invalid_credentials'],
      ['/logout?scope=everywhere', undefined, 400, 'validation_failed'],
      // Longer than any email: refused before it reaches the rate-limit key's index (was a 500).
      ['/token?grant_type=password', JSON.stringify({ email: `${'a'.repeat(8000)}@b.example`, password: 'x' }), 400, 'validation_failed'],
    ];
    for (const [path, body, status, code] of cases) {
      const res = await post(path, body);
      assert.equal(res.status, status, `${path} ${body}`);
      assert.equal(((await res.json()) as { code: string }).code, code, `${path} ${body}`);
    }
    const form = await post('/token?grant_type=password', 'email=a', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 400);
  });

  it('the API key is required (anon key in apikey or as the bearer); others are refused like Supabase\'s gateway', async () => {
    const none = await fetch(`${auth.origin}/auth/v1/token?grant_type=password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { message: string }).message, 'No API key found in request');
    const forged = await post('/token?grant_type=password', '{}', { apikey: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.bad' });
    assert.equal(forged.status, 401);
    assert.equal(((await forged.json()) as { message: string }).message, 'Invalid API key');
    const asBearer = await fetch(`${auth.origin}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { ...VERSION, 'authorization': `Bearer ${auth.anonKey}`, 'content-type': 'application/json' },
      body: '{"email":"x@y.example","password":"z"}',
    });
    assert.equal(asBearer.status, 400, 'the anon key as bearer is accepted; the credentials are what fails');
    assert.equal(decodeJwt(auth.anonKey).role, 'anon');
  });

  it('GET /user with a bad, expired-shape or anon token is 403 bad_jwt', async () => {
    for (const token of ['garbage', auth.anonKey]) {
      const res = await fetch(`${auth.origin}/auth/v1/user`, { headers: { ...VERSION, apikey: auth.anonKey, authorization: `Bearer ${token}` } });
      assert.equal(res.status, 403);
      assert.equal(((await res.json()) as { code: string }).code, 'bad_jwt');
    }
  });

  it('/api/auth/settings says wabase serves auth itself; /auth/v1 stays out of the OpenAPI document', async () => {
    const settings = await (await fetch(`${auth.origin}/api/auth/settings`)).json();
    assert.deepEqual(settings, { provider: 'wabase', url: null, anonKey: auth.anonKey, google: false });
    const doc = (await (await fetch(`${auth.origin}/docs/json`)).json()) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    assert.ok(paths.includes('/api/auth/settings'));
    assert.ok(paths.includes('/api/setup/first-run'));
    assert.ok(paths.includes('/api/setup/first-run/check'));
    assert.deepEqual(paths.filter((p) => p.startsWith('/auth/')), []);
  });
});

describe('with Supabase Auth configured', async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db, { SUPABASE_URL: 'https://abc.supabase.co/', SUPABASE_ANON_KEY: 'anon-key-of-the-project-0123456789' });

  it('settings point the browser at the project and wabase serves no /auth/v1', async () => {
    const settings = await app.inject({ method: 'GET', url: '/api/auth/settings' });
    assert.deepEqual(settings.json(), { provider: 'supabase', url: 'https://abc.supabase.co', anonKey: 'anon-key-of-the-project-0123456789', google: false });
    const token = await app.inject({ method: 'POST', url: '/auth/v1/token?grant_type=password', payload: { email: 'a@b.example', password: 'x' } });
    assert.equal(token.statusCode, 404);
  });
});
