import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ForbiddenError, InputError } from '../errors.js';
import { signToken, verifyToken } from './signed-token.js';
import { type MediaStore, objectKey, signEach, signedUrlExpiry } from './store.js';

/** Where the API server serves signed objects, in Supabase Storage's URL shape. */
export const SIGNED_PATH_PREFIX = '/storage/v1/object/sign';

export interface LocalStoreOptions {
  /** Folder that holds one subfolder per bucket. */
  root: string;
  bucket: string;
  /** HS256 key that signs URL tokens (the JWT secret, as Supabase does). */
  signingKey: Uint8Array;
  /** Origin the API server is reached at, e.g. `http://localhost:3000`. */
  publicBaseUrl: string;
}

/** The local driver: files under `<root>/<bucket>/<key>`, signed URLs served by the API server. */
export function localStore(options: LocalStoreOptions): MediaStore & { filePath(key: string): string } {
  const bucketDir = path.resolve(options.root, options.bucket);
  const filePath = (key: string) => {
    const file = path.resolve(bucketDir, objectKey(key));
    // objectKey already refuses "..", this is the belt to its braces.
    if (!file.startsWith(bucketDir + path.sep)) throw new InputError('path escapes the bucket', 'invalid_path');
    return file;
  };
  const store = {
    driver: 'local' as const,
    bucket: options.bucket,
    filePath,
    async put(key: string, bytes: Uint8Array) {
      const file = filePath(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Write aside, then rename: a reader never sees half an object, and two writers of the
      // same content-addressed key cannot interleave.
      const temp = `${file}.${randomBytes(6).toString('hex')}.part`;
      await writeFile(temp, bytes);
      await rename(temp, file);
    },
    async exists(key: string) {
      return stat(filePath(key)).then((info) => info.isFile(), () => false);
    },
    async signedUrl(key: string, ttlSeconds: number) {
      objectKey(key);
      const token = signToken({ url: `${options.bucket}/${key}` }, signedUrlExpiry(ttlSeconds), ttlSeconds, options.signingKey);
      return `${options.publicBaseUrl}${SIGNED_PATH_PREFIX}/${options.bucket}/${encodeURI(key)}?token=${token}`;
    },
    signedUrls(keys: string[], ttlSeconds: number) {
      return signEach(store, keys, ttlSeconds);
    },
    async get(key: string) {
      return readFile(filePath(key)).then((bytes) => new Uint8Array(bytes), () => null);
    },
  };
  return store;
}

/**
 * Checks a signed-URL token against the exact bucket/key it is used for. Throws 400 for a token
 * that is missing or not a JWT, 403 for a bad signature, an expired token or another path.
 * Returns when the token expires (seconds), so a response may be cached until then.
 */
export function verifySignedToken(token: string | undefined, bucket: string, key: string, signingKey: Uint8Array): number {
  if (!token) throw new InputError('token is required: use the signed URL as given', 'token_required');
  const { url, exp } = verifyToken(token, signingKey);
  if (url !== `${bucket}/${key}`) throw new ForbiddenError('token_path_mismatch', 'The signed URL was issued for another object');
  return exp;
}
