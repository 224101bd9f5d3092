// Issue 16, what held: a signed media URL opens its one object until it expires, and nothing else:
// no tampered token, no other path, no way out of the bucket.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { testApp, testJwtKey, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { registerSecret } from '../helpers/secrets.js';
import { tempDir } from '../helpers/tmp.js';

const PREFIX = '/storage/v1/object/sign/wa-media';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('signed media URLs', async () => {
  const db = await freshDatabase();
  const root = tempDir('wabase-signed-');
  const { app, ctx } = await testApp(db, { STORAGE_LOCAL_DIR: root });
  const key = `${randomBytes(32).toString('hex')}/original.png`;
  const other = `${randomBytes(32).toString('hex')}/original.png`;
  await ctx.mediaStore.put(key, new Uint8Array([1, 2, 3]), 'image/png');
  await ctx.mediaStore.put(other, new Uint8Array([4, 5, 6]), 'image/png');
  // Files a traversal would be after: beside the bucket, in another bucket, the database password file.
  fs.writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET-BESIDE-THE-BUCKET');
  fs.mkdirSync(path.join(root, 'private'), { recursive: true });
  fs.writeFileSync(path.join(root, 'private', 'x.png'), 'TOP-SECRET-OTHER-BUCKET');

  const get = (url: string) => app.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, '') });
  const signedFor = async (objectKey: string, ttl = 60) => ctx.mediaStore.signedUrl(objectKey, ttl);
  /** A token signed with the right key for any claims: only the path check can stop it. */
  const token = async (claims: Record<string, unknown>) => {
    const value = await new SignJWT({ exp: now() + 60, ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(testJwtKey);
    registerSecret(value, 'hand-made media token (signed-urls.test)');
    return value;
  };
  const refused = (res: Awaited<ReturnType<typeof get>>, what: string) => {
    assert.ok([400, 403, 404].includes(res.statusCode), `${what}: ${res.statusCode}`);
    assert.ok(!res.body.includes('TOP-SECRET'), `${what} served a file it must not`);
    assert.equal(res.headers['content-type']?.toString().startsWith('application/json'), true, `${what}: an error body, not a file`);
  };

  it('the URL as issued opens its object', async () => {
    const res = await get(await signedFor(key));
    assert.equal(res.statusCode, 200);
    assert.deepEqual([...res.rawPayload], [1, 2, 3]);
  });

  it('a tampered token is refused: signature changed, cut off, payload rewritten for another object', async () => {
    const url = new URL(await signedFor(key));
    const [header, payload, signature] = url.searchParams.get('token')!.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const cases: [string, string, string][] = [
      ['signature flipped', key, `${header}.${payload}.${flipped}`],
      ['signature cut off', key, `${header}.${payload}.`],
      ['no signature part', key, `${header}.${payload}`],
      ['payload for another object, old signature', other, `${header}.${b64({ ...claims, url: `wa-media/${other}` })}.${signature}`],
      ['payload with a later exp, old signature', key, `${header}.${b64({ ...claims, exp: now() + 86_400 * 365 })}.${signature}`],
      ['alg none', key, `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`],
      ['alg HS512 header, old signature', key, `${b64({ alg: 'HS512', typ: 'JWT' })}.${payload}.${signature}`],
    ];
    for (const [what, target, forged] of cases) refused(await get(`${PREFIX}/${target}?token=${forged}`), what);
  });

  it('a token opens only the object it was issued for', async () => {
    const url = (await signedFor(other)).replace(other, key);
    const res = await get(url);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'token_path_mismatch');
    const user = await testUser(db, 'media@signed.example');
    refused(await get(`${PREFIX}/${key}?token=${user.token}`), 'a user\'s access token as a media token');
    refused(await get(`${PREFIX}/${key}?token=${await token({ url: `wa-media/${key}`.toUpperCase() })}`), 'the path in another case');
    refused(await get(`${PREFIX}/${key}?token=${await token({ url: [`wa-media/${key}`] })}`), 'the path in an array');
  });

  it('a URL expires when its TTL ends', async () => {
    const url = await signedFor(key, 1);
    assert.equal((await get(url)).statusCode, 200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const res = await get(url);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'token_expired');
    refused(await get(`${PREFIX}/${key}?token=${await token({ url: `wa-media/${key}`, exp: undefined })}`), 'no exp at all');
  });

  it('path traversal reaches nothing outside the bucket, however it is spelled, even with a token for that path', async () => {
    const attempts = [
      '../secret.txt', '%2e%2e/secret.txt', '%2E%2E%2Fsecret.txt', '..%2fsecret.txt', '..%5csecret.txt', '..\\secret.txt',
      '%252e%252e%252fsecret.txt', 'a/../../secret.txt', 'a/%2e%2e/%2e%2e/secret.txt', './../secret.txt',
      '/secret.txt', '%2fsecret.txt', '../private/x.png', '..%2fprivate%2fx.png', `${key.split('/')[0]}/../../secret.txt`,
      'secret.txt%00.png', '..%c0%afsecret.txt', '%2e%2e%u2215secret.txt',
    ];
    for (const attempt of attempts) {
      let decoded = attempt;
      try {
        decoded = decodeURIComponent(attempt);
      } catch {}
      const forged = await token({ url: `wa-media/${decoded}` });
      refused(await get(`${PREFIX}/${attempt}?token=${forged}`), attempt);
    }
    for (const bucket of ['..', '%2e%2e', 'private', 'wa-media%2f..', 'WA-MEDIA']) {
      refused(await get(`/storage/v1/object/sign/${bucket}/secret.txt?token=${await token({ url: `${bucket}/secret.txt` })}`), `bucket ${bucket}`);
    }
  });

  it('nothing is served as a page on the API\'s origin: an uploaded .html or .svg comes as octet-stream, never sniffed', async () => {
    for (const name of ['original.html', 'original.svg', 'original.htm']) {
      const object = `${randomBytes(32).toString('hex')}/${name}`;
      await ctx.mediaStore.put(object, new TextEncoder().encode('<script>alert(1)</script>'), 'text/html');
      const res = await get(await signedFor(object));
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/octet-stream', name);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
  });
});
