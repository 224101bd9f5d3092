import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { AppError } from '../errors.js';
import { type MediaStore, objectKey } from './store.js';

export interface SupabaseStoreOptions {
  /** Project URL, e.g. `https://abc.supabase.co`. */
  url: string;
  /** The service role key: signing and private reads need it. Never sent to clients. */
  serviceRoleKey: string;
  bucket: string;
}

function failed(operation: string, error: { message?: string } | null): AppError {
  return new AppError('storage_failed', `Supabase Storage ${operation} failed: ${error?.message ?? 'unknown error'}`, 502, { cause: error });
}

/** Supabase Storage through supabase-js, with the service role key. */
export function supabaseStore(options: SupabaseStoreOptions): MediaStore {
  const client = createClient(options.url, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Node 20 has no global WebSocket and supabase-js builds its realtime client eagerly.
    realtime: { transport: WebSocket as never },
  });
  const bucket = () => client.storage.from(options.bucket);
  return {
    driver: 'supabase',
    bucket: options.bucket,
    async put(key, bytes, contentType) {
      const { error } = await bucket().upload(objectKey(key), bytes, { contentType, upsert: true });
      if (error) throw failed('upload', error);
    },
    async exists(key) {
      const { data, error } = await bucket().exists(objectKey(key));
      if (error && data !== false) throw failed('exists', error);
      return data === true;
    },
    async signedUrl(key, ttlSeconds) {
      const { data, error } = await bucket().createSignedUrl(objectKey(key), ttlSeconds);
      if (error || !data) throw failed('createSignedUrl', error);
      return data.signedUrl;
    },
    async signedUrls(keys, ttlSeconds) {
      const urls = new Map<string, string>();
      const unique = [...new Set(keys.map(objectKey))];
      if (unique.length === 0) return urls;
      // One request for the whole page instead of one per object.
      const { data, error } = await bucket().createSignedUrls(unique, ttlSeconds);
      if (error || !data) throw failed('createSignedUrls', error);
      for (const item of data) if (item.path && item.signedUrl) urls.set(item.path, item.signedUrl);
      return urls;
    },
    async get(key) {
      const { data, error } = await bucket().download(objectKey(key));
      if (error) {
        const status = (error as { status?: number; statusCode?: string }).status;
        if (status === 404 || status === 400) return null;
        throw failed('download', error);
      }
      return new Uint8Array(await data.arrayBuffer());
    },
  };
}
