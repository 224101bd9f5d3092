import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type GoogleSignIn, SignInError } from '../../auth/google.js';
import { storeGoogleTokens } from '../../auth/google-tokens.js';
import { type Issuer, signIn } from '../../auth/issue.js';
import { OAUTH_STATE_TTL_SECONDS, saveOAuthState, takeOAuthState } from '../../auth/oauth-states.js';
import { newOpaqueToken, sha256Hex } from '../../auth/sessions.js';
import { upsertUser } from '../../auth/users.js';
import { withTransaction } from '../../db/tx.js';
import { encryptionKey } from '../../hub/crypto.js';
import type { AppContext } from '../context.js';

const COOKIE = 'wabase_oauth';
const CALLBACK = '/auth/v1/callback';
/** Not in the OpenAPI document; `warn` keeps Fastify from logging URLs that carry a code and state. */
const routeOptions = { schema: { hide: true }, logLevel: 'warn' } as const;

/** Where the app is reached: PUBLIC_BASE_URL, else the request's own origin. */
function publicBase(ctx: AppContext, request: FastifyRequest): string {
  return ctx.config.publicBaseUrl ?? `${request.protocol}://${request.host}`;
}

/** A same-origin path (or an absolute URL of this origin, reduced to its path); null otherwise. */
export function sameOriginPath(value: unknown, origin: string): string | null {
  if (value === undefined || value === '') return '/';
  if (typeof value !== 'string' || !(value.startsWith('/') || value.startsWith(`${origin}/`) || value === origin)) return null;
  try {
    const url = new URL(value, origin);
    // `/.//evil.com` parses to the path `//evil.com`, which a browser reads as another host.
    if (url.origin !== origin || url.pathname.startsWith('//') || url.pathname.includes('\\')) return null;
    return `${url.pathname}${url.search}`;
  } catch {
    return null;
  }
}

function readCookie(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Every failure lands on the sign-in page with a code and a sentence, never on a 500. */
function toSignIn(reply: FastifyReply, error: SignInError): FastifyReply {
  const query = new URLSearchParams({ error_code: error.code, error_description: error.message });
  return reply.redirect(`/sign-in?${query.toString()}`, 302);
}

function failure(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const signInError = error instanceof SignInError ? error : new SignInError('server_error', 'Sign-in with Google failed on the server. Please try again.');
  const cause = error instanceof SignInError ? error.cause : error;
  // The code and the reason only: never the URL, the state, the code or a token.
  const detail = { code: signInError.code, reason: cause instanceof Error ? cause.message : undefined };
  if (signInError.code === 'server_error') request.log.error(detail, 'Google sign-in failed');
  else request.log.warn(detail, 'Google sign-in refused');
  return toSignIn(reply, signInError);
}

/**
 * GoTrue's `GET /authorize?provider=google` and its callback, in the implicit flow auth-js uses by
 * default: the browser comes back to `redirect_to` with the session in the URL fragment (never
 * Google's own tokens, which stay encrypted in google_tokens).
 */
export async function googleRoutes(app: FastifyInstance, ctx: AppContext, google: GoogleSignIn | null): Promise<void> {
  const issuer: Issuer = { jwtKey: ctx.jwtKey, ttlSeconds: ctx.config.auth.accessTokenTtlSeconds };

  app.get('/auth/v1/authorize', routeOptions, async (request, reply) => {
    try {
      const query = request.query as Record<string, unknown>;
      if (query.provider !== 'google' || !google) throw new SignInError('provider_disabled', 'This sign-in provider is not enabled on this server.');
      const base = publicBase(ctx, request);
      const redirectTo = sameOriginPath(query.redirect_to, new URL(base).origin);
      if (redirectTo === null) throw new SignInError('invalid_redirect', 'After sign-in you can only be sent to a page of this site.');
      const redirectUri = `${base}${CALLBACK}`;
      const flow = await google.authorizationRequest(redirectUri);
      const browser = newOpaqueToken();
      await saveOAuthState(ctx.pool, flow.state, {
        provider: 'google',
        codeVerifier: flow.codeVerifier,
        nonce: flow.nonce,
        redirectUri,
        redirectTo,
        browserHash: sha256Hex(browser),
      });
      const secure = base.startsWith('https:') ? '; Secure' : '';
      reply.header('set-cookie', `${COOKIE}=${browser}; Path=${CALLBACK}; Max-Age=${OAUTH_STATE_TTL_SECONDS}; HttpOnly; SameSite=Lax${secure}`);
      if (query.skip_http_redirect === 'true') return reply.send({ url: flow.url });
      return reply.redirect(flow.url, 302);
    } catch (error) {
      return failure(request, reply, error);
    }
  });

  app.get(CALLBACK, routeOptions, async (request, reply) => {
    reply.header('set-cookie', `${COOKIE}=; Path=${CALLBACK}; Max-Age=0; HttpOnly; SameSite=Lax`);
    try {
      if (!google) throw new SignInError('provider_disabled', 'This sign-in provider is not enabled on this server.');
      const params = new URLSearchParams(request.url.split('?')[1] ?? '');
      const state = params.get('state');
      const invalid = new SignInError('invalid_state', 'This sign-in attempt is invalid or has expired. Please sign in again.');
      if (!state) throw invalid;
      const flow = await takeOAuthState(ctx.pool, state);
      const browser = readCookie(request, COOKIE);
      if (!flow || !browser || !sameHash(sha256Hex(browser), flow.browserHash)) throw invalid;
      const identity = await google.complete(params, { state, nonce: flow.nonce, codeVerifier: flow.codeVerifier, redirectUri: flow.redirectUri });
      const key = encryptionKey(ctx.config);
      const userId = await withTransaction(ctx.pool, async (db) => {
        const { user } = await upsertUser(db, identity.email, { confirmed: true, provider: 'google' });
        // As GoTrue does: the provider's claims become user_metadata.
        const claims = {
          iss: identity.issuer,
          sub: identity.sub,
          email: identity.email,
          email_verified: true,
          phone_verified: false,
          provider_id: identity.sub,
          ...(identity.name ? { name: identity.name, full_name: identity.name } : {}),
          ...(identity.picture ? { picture: identity.picture, avatar_url: identity.picture } : {}),
        };
        await db.query('update auth.users set raw_user_meta_data = coalesce(raw_user_meta_data, \'{}\'::jsonb) || $2::jsonb where id = $1', [
          user.id,
          JSON.stringify(claims),
        ]);
        await storeGoogleTokens(db, key, identity);
        return user.id;
      });
      const agent = request.headers['user-agent'];
      const session = await signIn(ctx.pool, issuer, userId, 'google', { userAgent: typeof agent === 'string' ? agent : null, ip: request.ip ?? null });
      const fragment = new URLSearchParams({
        access_token: session.access_token,
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: session.refresh_token,
        token_type: 'bearer',
      });
      return reply.redirect(`${flow.redirectTo}#${fragment.toString()}`, 302);
    } catch (error) {
      return failure(request, reply, error);
    }
  });
}
