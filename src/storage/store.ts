import { InputError } from '../errors.js';

/** The private bucket group media lives in (seed 001 §4). */
export const MEDIA_BUCKET = 'wa-media';

/**
 * A private object store bound to one bucket. Keys are paths inside the bucket
 * (`{sha256}/original.jpg`); every driver refuses keys that could climb out of it.
 */
export interface MediaStore {
  readonly driver: 'local' | 'supabase' | 's3';
  readonly bucket: string;
  /** Writes the object; writing the same key again replaces it (media is content-addressed). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A URL anyone holding it can GET until `ttlSeconds` from now. */
  signedUrl(key: string, ttlSeconds: number): Promise<string>;
  /** The same for many keys; drivers that can sign in one request do. */
  signedUrls(keys: string[], ttlSeconds: number): Promise<Map<string, string>>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/** Checks an object key; throws InputError (invalid_path) for anything that is not a plain relative path. */
export function objectKey(key: string): string {
  const segments = key.split('/');
  const bad =
    key.length === 0 ||
    key.length > 1024 ||
    UNSAFE.test(key) ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) throw new InputError('path must be a relative object path without empty, "." or ".." segments', 'invalid_path');
  return key;
}

/**
 * When a URL signed now for `ttlSeconds` expires (Unix seconds). Expiries are rounded down to a
 * window of a tenth of the TTL (at most an hour), so the local store signs the same URL for an
 * object throughout a window: a re-read of the archive, or a second visit, gets URLs the browser
 * has cached instead of new ones to download again. A URL stays valid at least `ttl - window`.
 * Other stores sign their own URLs (valid the full TTL); reporting this expiry for them is early,
 * never late.
 */
export function signedUrlExpiry(ttlSeconds: number, nowMs = Date.now()): number {
  const window = Math.min(3600, Math.floor(ttlSeconds / 10));
  const exp = nowMs / 1000 + ttlSeconds;
  return window >= 1 ? Math.floor(exp / window) * window : Math.floor(exp);
}

/** Signs each key in turn, for drivers whose signing is local and cheap. */
export async function signEach(store: Pick<MediaStore, 'signedUrl'>, keys: string[], ttlSeconds: number): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  for (const key of new Set(keys)) urls.set(key, await store.signedUrl(key, ttlSeconds));
  return urls;
}
