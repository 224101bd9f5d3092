import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GoogleSignIn } from '../../auth/google.js';
import { mintAnonKey } from '../../auth/jwt.js';
import type { AppContext } from '../context.js';
import { googleRoutes } from './auth-google.js';
import { gotrueRoutes } from './gotrue.js';

export const authSettings = z.object({
  provider: z.enum(['wabase', 'supabase']).describe('Who signs users in: wabase\'s own /auth/v1, or the Supabase project\'s Auth'),
  url: z.string().nullable().describe('Supabase project URL; null means this origin (wabase serves /auth/v1)'),
  anonKey: z.string().describe('The apikey auth-js sends: the project\'s anon key, or wabase\'s own'),
  google: z.boolean().describe('Whether "Sign in with Google" is offered'),
});

/**
 * Sign-in for the browser. `GET /api/auth/settings` tells the SPA where auth-js should point:
 * `new AuthClient({ url: (url ?? location.origin) + '/auth/v1', headers: { apikey: anonKey } })`.
 * Without Supabase Auth configured, wabase also serves that GoTrue subset itself under /auth/v1.
 */
export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const supabase = ctx.config.auth.supabase;
    const anonKey = supabase ? supabase.anonKey : await mintAnonKey(ctx.jwtKey);
    const settings: z.infer<typeof authSettings> = {
      provider: supabase ? 'supabase' : 'wabase',
      url: supabase ? supabase.url : null,
      anonKey,
      google: ctx.config.auth.google !== null,
    };

    app.get('/api/auth/settings', {
      schema: { tags: ['auth'], summary: 'Where and how the browser signs in (no auth needed)', response: { 200: authSettings } },
    }, async () => settings);

    if (supabase) return;
    const google = ctx.config.auth.google ? new GoogleSignIn(ctx.config.auth.google) : null;
    await app.register(async (scope) => {
      await gotrueRoutes(scope, ctx);
      await googleRoutes(scope, ctx, google);
    });
  };
}
