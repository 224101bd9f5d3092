// One contract, three drivers: local files (served by the API), Supabase Storage and S3 (each
// against a loopback fake speaking its HTTP API).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { localStore } from '../../src/storage/local.js';
import { s3Store } from '../../src/storage/s3.js';
import { MEDIA_BUCKET, type MediaStore } from '../../src/storage/store.js';
import { supabaseStore } from '../../src/storage/supabase.js';
import { testApp, testJwtKey } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeS3 } from '../helpers/fake-s3.js';
import { fakeSupabaseStorage } from '../helpers/fake-supabase-storage.js';
import { tempDir } from '../helpers/tmp.js';

async function local(): Promise<MediaStore> {
  const db = await freshDatabase();
  const root = tempDir('wabase-store-');
  const { app } = await testApp(db, { STORAGE_LOCAL_DIR: root });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return localStore({ root, bucket: MEDIA_BUCKET, signingKey: testJwtKey, publicBaseUrl: `http://127.0.0.1:${port}` });
}

async function supabase(): Promise<MediaStore> {
  const fake = await fakeSupabaseStorage();
  return supabaseStore({ url: fake.url, serviceRoleKey: fake.serviceRoleKey, bucket: MEDIA_BUCKET });
}

async function s3(): Promise<MediaStore> {
  const fake = await fakeS3();
  return s3Store({ bucket: MEDIA_BUCKET, region: 'us-east-1', endpoint: fake.url, forcePathStyle: true, credentials: fake.credentials });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Flips one character of the URL's signature part, keeping its shape. */
function tamper(url: string): string {
  const at = url.length - 5;
  return url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1);
}

for (const [name, make] of [['local', local], ['supabase', supabase], ['s3', s3]] as const) {
  describe(`media store contract: ${name}`, async () => {
    const store = await make();
    const bytes = new Uint8Array(randomBytes(70_000));
    const key = `${randomBytes(32).toString('hex')}/original.jpg`;
    await store.put(key, bytes, 'image/jpeg');

    it('put then exists, and a key never written does not exist', async () => {
      assert.equal(store.driver, name);
      assert.equal(await store.exists(key), true);
      assert.equal(await store.exists(`${'0'.repeat(64)}/original.jpg`), false);
    });

    it('get returns the exact bytes; a missing key gives null', async () => {
      assert.deepEqual(await store.get(key), bytes);
      assert.equal(await store.get(`${'0'.repeat(64)}/original.png`), null);
    });

    it('putting the same key again replaces it', async () => {
      const other = `${randomBytes(32).toString('hex')}/original.png`;
      await store.put(other, new Uint8Array([1, 2, 3]), 'image/png');
      await store.put(other, new Uint8Array([4, 5]), 'image/png');
      assert.deepEqual(await store.get(other), new Uint8Array([4, 5]));
    });

    it('a signed URL downloads the exact bytes without credentials', async () => {
      const res = await fetch(await store.signedUrl(key, 600));
      assert.equal(res.status, 200);
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), bytes);
    });

    it('signedUrls signs many keys, each downloading its object', async () => {
      const second = `${randomBytes(32).toString('hex')}/original.pdf`;
      await store.put(second, new Uint8Array([9, 9, 9]), 'application/pdf');
      const urls = await store.signedUrls([key, second, key], 600);
      assert.equal(urls.size, 2);
      const res = await fetch(urls.get(second)!);
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), new Uint8Array([9, 9, 9]));
    });

    it('a tampered signed URL does not download', async () => {
      const res = await fetch(tamper(await store.signedUrl(key, 600)));
      assert.ok(res.status === 400 || res.status === 403, `status ${res.status}`);
    });

    it('an expired signed URL does not download', async () => {
      const url = await store.signedUrl(key, 1);
      await sleep(2100);
      const res = await fetch(url);
      assert.ok(res.status === 400 || res.status === 403, `status ${res.status}`);
    });

    it('keys that climb out of the bucket are refused before any I/O', async () => {
      for (const bad of ['../etc/passwd', 'a/../../b', '/abs', 'a//b', 'a\\b', '']) {
        await assert.rejects(store.put(bad, new Uint8Array([1]), 'text/plain'), { code: 'invalid_path' }, bad);
        await assert.rejects(store.signedUrl(bad, 60), { code: 'invalid_path' }, bad);
      }
    });
  });
}
