import type { StorageConfig } from '../config.js';
import { localStore } from './local.js';
import { MEDIA_BUCKET, type MediaStore } from './store.js';

/**
 * The media store the config names. The supabase and s3 drivers are imported only when chosen,
 * so the default local setup never loads their SDKs.
 */
export async function createMediaStore(config: StorageConfig, signingKey: Uint8Array): Promise<MediaStore> {
  switch (config.driver) {
    case 'supabase': {
      const { supabaseStore } = await import('./supabase.js');
      const { url, serviceRoleKey } = config.supabase!;
      return supabaseStore({ url, serviceRoleKey, bucket: MEDIA_BUCKET });
    }
    case 's3': {
      const { s3Store } = await import('./s3.js');
      return s3Store(config.s3);
    }
    default:
      return localStore({ root: config.localDir, bucket: MEDIA_BUCKET, signingKey, publicBaseUrl: config.publicBaseUrl });
  }
}
