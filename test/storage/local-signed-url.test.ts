// The local store's signed URLs, served by the API: only the exact path, only until expiry.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { testApp, testJwtKey } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';

describe('local signed URLs', async () => {
  const db = await freshDatabase();
  const { app, ctx } = await testApp(db);
  const key = `${randomBytes(32).toString('hex')}/original.png`;
  const bytes = new Uint8Array(randomBytes(1000));
  await ctx.mediaStore.put(key, bytes, 'image/png');
  const get = (url: string) => app.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, '') });
  const token = (claims: Record<string, unknown>, secret = testJwtKey) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret);

  it('a valid URL serves the exact bytes with the type of its extension', async () => {
    const res = await get(await ctx.mediaStore.signedUrl(key, 60));
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.deepEqual(new Uint8Array(res.rawPayload), bytes);
  });

  it('the URL has Supabase\'s shape and lasts the TTL asked for', async () => {
    const url = new URL(await ctx.mediaStore.signedUrl(key, 7 * 86_400));
    assert.equal(url.pathname, `/storage/v1/object/sign/wa-media/${key}`);
    const claims = JSON.parse(Buffer.from(url.searchParams.get('token')!.split('.')[1]!, 'base64url').toString());
    assert.equal(claims.url, `wa-media/${key}`);
    assert.equal(claims.exp - claims.iat, 7 * 86_400);
  });

  it('a token for another path is refused with 403 token_path_mismatch', async () => {
    const other = `${randomBytes(32).toString('hex')}/original.png`;
    await ctx.mediaStore.put(other, new Uint8Array([1]), 'image/png');
    const url = (await ctx.mediaStore.signedUrl(other, 60)).replace(other, key);
    const res = await get(url);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'token_path_mismatch');
  });

  it('an expired token is refused with 403 token_expired', async () => {
    const expired = await token({ url: `wa-media/${key}`, exp: Math.floor(Date.now() / 1000) - 5 });
    const res = await get(`/storage/v1/object/sign/wa-media/${key}?token=${expired}`);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'token_expired');
  });

  it('a token signed with another secret is refused with 403 invalid_signature', async () => {
    const forged = await token({ url: `wa-media/${key}`, exp: Math.floor(Date.now() / 1000) + 60 }, new TextEncoder().encode('x'.repeat(48)));
    const res = await get(`/storage/v1/object/sign/wa-media/${key}?token=${forged}`);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'invalid_signature');
  });

  it('a missing or malformed token is a 400', async () => {
    assert.equal((await get(`/storage/v1/object/sign/wa-media/${key}`)).json().error.code, 'token_required');
    const res = await get(`/storage/v1/object/sign/wa-media/${key}?token=not-a-jwt`);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'invalid_token');
  });

  it('path traversal is impossible, encoded or not', async () => {
    for (const path of ['..%2F..%2F..%2Fetc%2Fpasswd', '%2e%2e/%2e%2e/etc/passwd', 'a/..%2f..%2fsecrets']) {
      const stolen = await token({ url: `wa-media/${decodeURIComponent(path)}`, exp: Math.floor(Date.now() / 1000) + 60 });
      const res = await get(`/storage/v1/object/sign/wa-media/${path}?token=${stolen}`);
      assert.ok(res.statusCode === 400 || res.statusCode === 404, `${path}: ${res.statusCode}`);
      assert.notEqual(res.statusCode, 200);
    }
  });

  it('another bucket is a 404, and a signed but missing object is a 404', async () => {
    assert.equal((await get(`/storage/v1/object/sign/other/${key}?token=x`)).statusCode, 404);
    const gone = `${'f'.repeat(64)}/original.png`;
    const res = await get(await ctx.mediaStore.signedUrl(gone, 60));
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'object_not_found');
  });
});
