import { GoTrueClient } from '@supabase/auth-js';
import { unwrap } from '../api/errors';
import { publicApi } from '../api/public-client';
import type { paths } from '../api/schema';

/** GET /api/auth/settings, as the server's OpenAPI document types it. */
export type AuthSettings = paths['/api/auth/settings']['get']['responses'][200]['content']['application/json'];

let settings: Promise<AuthSettings> | null = null;
let client: Promise<GoTrueClient> | null = null;

/** How this deployment signs people in: wabase's own /auth/v1, or the Supabase project's Auth. */
export function authSettings(): Promise<AuthSettings> {
  if (settings) return settings;
  const loading = unwrap(publicApi.GET('/api/auth/settings')).catch((error: unknown) => {
    settings = null;
    throw error;
  });
  settings = loading;
  return loading;
}

/**
 * The supabase-js auth client (GoTrue), pointed at Supabase Auth when configured and at wabase
 * itself otherwise. It keeps the session in localStorage and refreshes it before it expires.
 */
export function authClient(): Promise<GoTrueClient> {
  if (client) return client;
  const creating = authSettings().then(
    (found) =>
      new GoTrueClient({
        url: `${found.url ?? window.location.origin}/auth/v1`,
        headers: { apikey: found.anonKey },
        storageKey: 'wabase-auth',
        autoRefreshToken: true,
        persistSession: true,
        detectSessionInUrl: true,
        flowType: 'implicit',
      }),
    (error: unknown) => {
      client = null;
      throw error;
    },
  );
  client = creating;
  return creating;
}

/** The access token of the current session (refreshed when close to expiry), or null. */
export async function currentAccessToken(): Promise<string | null> {
  const auth = await authClient();
  const { data } = await auth.getSession();
  return data.session?.access_token ?? null;
}
