// Issue 16, what held: no foreign origin is let in by CORS, and every response, whatever answered
// it (a route, the error handler, Fastify itself, the static web app), carries the security headers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { routesOf } from '../../src/http/route-list.js';
import { FALLBACK_SECURITY_HEADERS } from '../../src/http/security-headers.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { APP_SECRET, signedPost, textChange, webhookBody } from '../helpers/meta.js';

const ALLOWED = 'https://app.example';
const FOREIGN = ['https://evil.example', 'https://app.example.evil.example', 'https://evilapp.example', 'http://app.example', 'https://app.example:444', 'null'];
type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** The headers that must be on every answer (the fallback set is helmet's, compared elsewhere), and a request id. */
function assertSecured(res: LightMyRequestResponse, what: string) {
  for (const header of Object.keys(FALLBACK_SECURITY_HEADERS)) assert.ok(res.headers[header], `${what} (${res.statusCode}) lacks ${header}`);
  assert.match(String(res.headers['content-security-policy']), /default-src '(self|none)'/, what);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
  assert.ok(res.headers['x-request-id'], `${what} (${res.statusCode}) lacks x-request-id`);
}

describe('CORS and security headers', async () => {
  const db = await freshDatabase();
  const user = await testUser(db, 'headers@cors.example');
  const withCors = (await testApp(db, { CORS_ORIGINS: ALLOWED })).app;
  const closed = (await testApp(db, {})).app;
  const { app, ctx } = await testApp(db, { META_WEBHOOK_VERIFY_TOKEN: 'verify-token-headers-1', META_APP_SECRET: APP_SECRET });
  const send = (target: FastifyInstance, method: Method, url: string, headers: Record<string, string> = {}, payload?: string) =>
    target.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

  it('a foreign origin gets no access-control-allow-origin, simple request or preflight; the allowed one does', async () => {
    for (const origin of FOREIGN) {
      const simple = await send(withCors, 'GET', '/healthz', { origin });
      assert.equal(simple.headers['access-control-allow-origin'], undefined, origin);
      assert.equal(simple.headers['access-control-allow-credentials'], undefined, origin);
      const preflight = await send(withCors, 'OPTIONS', '/api/ops/workspaces', { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' });
      assert.equal(preflight.headers['access-control-allow-origin'], undefined, `preflight from ${origin}`);
      const authed = await send(withCors, 'GET', '/api/me', { origin, authorization: `Bearer ${user.token}` });
      assert.equal(authed.statusCode, 200);
      assert.equal(authed.headers['access-control-allow-origin'], undefined, `an authenticated answer to ${origin}`);
    }
    const allowed = await send(withCors, 'GET', '/healthz', { origin: ALLOWED });
    assert.equal(allowed.headers['access-control-allow-origin'], ALLOWED, 'the check above can see the header');
    const preflight = await send(withCors, 'OPTIONS', '/api/ops/workspaces', { 'origin': ALLOWED, 'access-control-request-method': 'GET' });
    assert.equal(preflight.headers['access-control-allow-origin'], ALLOWED);
    assertSecured(preflight, 'a CORS preflight');
  });

  it('without CORS_ORIGINS no origin at all is allowed', async () => {
    for (const origin of [ALLOWED, ...FOREIGN, 'http://localhost:3000']) {
      for (const method of ['GET', 'OPTIONS'] as const) {
        const res = await send(closed, method, '/api/me', { origin, 'access-control-request-method': 'GET' });
        assert.equal(res.headers['access-control-allow-origin'], undefined, `${method} from ${origin}`);
      }
    }
  });

  it('security headers on answers of every kind: 2xx, 4xx, 404, framework errors, static files, docs, media', async () => {
    await app.ready();
    const asset = routesOf(app).find((route) => /^\/assets\/.+\.js$/.test(route.url))!.url;
    const media = `${'c'.repeat(64)}/original.png`;
    await ctx.mediaStore.put(media, new Uint8Array([1]), 'image/png');
    const cases: [Method, string, Record<string, string>?, string?][] = [
      ['GET', '/healthz'], ['HEAD', '/healthz'], ['GET', '/readyz'],
      ['GET', '/api/me', { authorization: `Bearer ${user.token}` }],
      ['GET', '/api/ops/workspaces'], ['GET', '/api/ops/workspaces', { authorization: `Bearer ${user.token}` }],
      ['GET', '/api/ops/workspaces', { authorization: 'Bearer not-a-token' }],
      ['GET', '/api/nope'], ['DELETE', '/healthz'],
      ['GET', '/api/ops/%E0%A4%A'], ['GET', `/api/ops/workspaces/${'x'.repeat(300)}`],
      ['POST', '/api/webhooks/meta/whatsapp', { 'content-type': 'application/json' }, '{"broken'],
      ['POST', '/api/webhooks/meta/whatsapp', { 'content-type': 'text/xml' }, '<a/>'],
      ['POST', '/api/setup/first-run/check', { 'content-type': 'application/json' }, JSON.stringify({ token: randomBytes(32).toString('base64url') })],
      ['GET', '/api/webhooks/meta/whatsapp?hub.mode=subscribe&hub.verify_token=verify-token-headers-1&hub.challenge=7'],
      ['GET', '/api/webhooks/meta/whatsapp?hub.mode=subscribe&hub.verify_token=wrong-token-headers&hub.challenge=7'],
      ['GET', '/'], ['GET', '/index.html'], ['GET', '/ops/platform-admin'], ['GET', '/favicon.svg'], ['GET', asset],
      ['GET', asset, { 'accept-encoding': 'br' }], ['GET', '/assets/missing.js'],
      ['GET', '/docs'], ['GET', '/docs/json'],
      ['GET', new URL(await ctx.mediaStore.signedUrl(media, 60)).pathname + new URL(await ctx.mediaStore.signedUrl(media, 60)).search],
      ['GET', `/storage/v1/object/sign/wa-media/${media}?token=bad`],
      ['OPTIONS', '/api/me', { 'origin': 'https://evil.example', 'access-control-request-method': 'GET' }],
      ['POST', '/api/meta/whatsapp/send-text', { 'authorization': `Bearer ${user.token}`, 'content-type': 'text/xml' }, '<a/>'],
      ['POST', '/api/meta/whatsapp/send-text', { 'authorization': `Bearer ${user.token}`, 'content-type': 'application/json' }, `"${'x'.repeat(3 * 1024 * 1024)}"`],
    ];
    const webhook = signedPost(webhookBody(textChange('PN-HEADERS', '6281', 'hello')));
    cases.push(['POST', webhook.url, webhook.headers, webhook.payload], ['POST', webhook.url, { 'content-type': 'application/json' }, 'x'.repeat(3 * 1024 * 1024 + 1)]);
    const statuses = new Set<number>();
    for (const [method, url, headers, payload] of cases) {
      const res = await send(app, method, url, headers, payload);
      statuses.add(res.statusCode);
      assertSecured(res, `${method} ${url.slice(0, 60)}`);
    }
    for (const status of [200, 400, 401, 403, 404, 413, 414, 415]) assert.ok(statuses.has(status), `no case answered ${status}: ${[...statuses]}`);
  });

  it('every route of the app, asked without credentials, answers with the security headers', async () => {
    for (const route of routesOf(app)) {
      const url = route.url.replace(/:[a-z]+/g, '00000000-0000-0000-0000-000000000000').replace('*', 'x/y.png');
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) ? '{}' : undefined;
      const res = await send(app, route.method as Method, url, body ? { 'content-type': 'application/json' } : {}, body);
      assertSecured(res, `${route.method} ${route.url}`);
    }
  });
});
