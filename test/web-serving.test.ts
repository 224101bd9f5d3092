import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { testApp } from './helpers/app.js';
import { freshDatabase } from './helpers/db.js';
import { tempDir } from './helpers/tmp.js';
import { WEB_ROOT } from './helpers/web-server.js';

describe('the web app served from the API origin', async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db, {}, { webRoot: WEB_ROOT });
  const index = fs.readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8');
  const html = { accept: 'text/html,application/xhtml+xml' };

  it('answers / and every client route (deep links) with index.html, never cached', async () => {
    for (const url of ['/', '/ops/platform-admin?q=toko', '/ops/workspaces/11111111-1111-4111-8111-111111111111', '/sign-in', '/no/such/page']) {
      const res = await app.inject({ method: 'GET', url, headers: html });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.equal(res.body, index);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.ok(res.headers['x-request-id'], 'the app page has a request id like every response');
    }
  });

  it('keeps the JSON behaviour of /api, /auth, /storage, /docs, /healthz and /readyz', async () => {
    for (const url of ['/api/nope', '/api', '/storage/v1/nope', '/auth/v1/nope', '/docs/nope']) {
      const res = await app.inject({ method: 'GET', url, headers: html });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error.code, 'route_not_found', url);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/healthz', headers: html })).json().status, 'ok');
    // Only reads are pages: a POST to a client path is the JSON 404.
    const post = await app.inject({ method: 'POST', url: '/ops/platform-admin', payload: {} });
    assert.equal(post.statusCode, 404);
    assert.equal(post.json().error.code, 'route_not_found');
  });

  it('caches hashed assets immutably and answers a missing file with a 404, not the page', async () => {
    const asset = index.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    assert.ok(asset, 'index.html loads a hashed script');
    const res = await app.inject({ method: 'GET', url: asset });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    // The build's brotli copy goes to browsers that take it (the ~470 kB first page travels as ~140 kB).
    const br = await app.inject({ method: 'GET', url: asset, headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.ok(br.rawPayload.length < res.rawPayload.length / 2, 'compressed to less than half');
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    const missing = await app.inject({ method: 'GET', url: '/assets/missing-0123456789.js' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'route_not_found');
    const favicon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    assert.equal(favicon.headers['cache-control'], 'no-cache');
  });

  it('sends a CSP that allows the app and nothing more, without upgrade-insecure-requests (plain-HTTP LAN use)', async () => {
    const csp = String((await app.inject({ method: 'GET', url: '/', headers: html })).headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
  });

  it('allows signed media URLs of an S3 or Supabase store in img-src and media-src', async () => {
    const s3 = await testApp(db, { STORAGE_DRIVER: 's3', S3_BUCKET: 'wa-media', S3_REGION: 'eu-west-1' }, { webRoot: WEB_ROOT });
    const csp = String((await s3.app.inject({ method: 'GET', url: '/', headers: html })).headers['content-security-policy']);
    assert.match(csp, /img-src 'self' https:\/\/wa-media\.s3\.eu-west-1\.amazonaws\.com/);
    assert.match(csp, /media-src 'self' https:\/\/wa-media\.s3\.eu-west-1\.amazonaws\.com/);
    const supabase = await testApp(db, { STORAGE_DRIVER: 'supabase', SUPABASE_URL: 'https://abc.supabase.co', SUPABASE_SERVICE_ROLE_KEY: 'service-role-key-0123456789' }, { webRoot: WEB_ROOT });
    const csp2 = String((await supabase.app.inject({ method: 'GET', url: '/', headers: html })).headers['content-security-policy']);
    assert.match(csp2, /img-src 'self' https:\/\/abc\.supabase\.co/);
  });

  it('without a build, pages say how to build it and the API still works', async () => {
    const bare = await testApp(db, {}, { webRoot: tempDir('wabase-no-web-') });
    const res = await bare.app.inject({ method: 'GET', url: '/ops/platform-admin', headers: html });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build/);
    assert.equal((await bare.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });
});
