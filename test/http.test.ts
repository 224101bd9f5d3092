import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { testApp } from './helpers/app.js';
import { freshDatabase } from './helpers/db.js';

describe('HTTP foundation', async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db, { CORS_ORIGINS: 'https://inbox.example' });
  // Routes only tests need, to reach the error paths.
  const probe = await testApp(db);
  probe.app.get('/boom', async () => {
    throw new Error('secret internal detail');
  });
  probe.app.post(
    '/echo',
    { schema: { body: z.object({ amount: z.number().int().positive() }) } },
    async (request) => request.body,
  );

  it('GET /healthz answers liveness', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('GET /readyz is 200 when the database is reachable and its schema current', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ready' });
  });

  it('GET /readyz is 503 with the reason when migrations are missing', async () => {
    const empty = await freshDatabase({ empty: true });
    const { app: behind } = await testApp(empty);
    const res = await behind.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().status, 'not_ready');
    assert.match(res.json().reason, /database schema is behind.*wabase db push/);
  });

  it('GET /readyz is 503 when a required migration is not applied', async () => {
    const { app: newer, ctx } = await testApp(db);
    ctx.requiredMigrations.push('99990101000000');
    const res = await newer.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.match(res.json().reason, /1 migration\(s\) pending/);
  });

  it('answers unknown API routes in the one error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nope?x=1' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { error: { code: 'route_not_found', message: 'No route GET /api/nope' } });
  });

  it('hides 5xx messages from clients', async () => {
    const res = await probe.app.inject({ method: 'GET', url: '/boom' });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { error: { code: 'internal_error', message: 'Internal server error' } });
    assert.doesNotMatch(res.body, /secret internal detail/);
  });

  it('names the field of a validation error', async () => {
    const res = await probe.app.inject({ method: 'POST', url: '/echo', payload: { amount: -1 } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'invalid_input');
    assert.match(res.json().error.message, /^body\.amount: /);
  });

  it('answers bad JSON with 400 invalid_json', async () => {
    const res = await probe.app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"amount":',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'invalid_json');
  });

  it('answers a body over 3 MB with 413', async () => {
    const res = await probe.app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: `{"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`,
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'payload_too_large');
  });

  it('gives every response a request id, echoing a valid incoming one', async () => {
    const fresh = await app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(fresh.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const given = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-42' },
    });
    assert.equal(given.headers['x-request-id'], 'trace-42');
    const bad = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    assert.notEqual(bad.headers['x-request-id'], 'bad id with spaces');
  });

  it('sends security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['content-security-policy']);
    assert.ok(res.headers['strict-transport-security']);
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://inbox.example' },
    });
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://inbox.example');
    const other = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  it('publishes OpenAPI at /docs/json and a browsable page at /docs', async () => {
    const spec = await app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(spec.statusCode, 200);
    const doc = spec.json();
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/readyz']);
    assert.ok(doc.paths['/api/me'].get.security);
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger/i);
  });
});
