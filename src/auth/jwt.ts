import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Config } from '../config.js';
import type { UserClaims } from '../db/with-user.js';
import { UnauthorizedError } from '../errors.js';
import { localSecrets } from '../local-secrets.js';
import { VerifiedTokens } from './verified-tokens.js';

const SUB = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The HS256 key: SUPABASE_JWT_SECRET, else the one generated once into WABASE_HOME. */
export function jwtKey(config: Config): Uint8Array {
  return new TextEncoder().encode(config.jwtSecret ?? localSecrets(config.home).jwtSecret);
}

/** Tokens verified per key (a process has one key; tests have several). */
const verified = new WeakMap<Uint8Array, VerifiedTokens>();

/**
 * Verifies a Supabase-compatible access token (HS256, `sub` and `exp` required); the caller's role
 * is always `authenticated`. A token verified before with the same key is answered from memory
 * until it expires (see VerifiedTokens).
 */
export async function verifyAccessToken(token: string, key: Uint8Array): Promise<UserClaims> {
  let cache = verified.get(key);
  if (!cache) verified.set(key, (cache = new VerifiedTokens()));
  const known = cache.get(token);
  if (known) return known;
  const claims = await verifyUncached(token, key);
  cache.remember(token, claims);
  return claims;
}

async function verifyUncached(token: string, key: Uint8Array): Promise<UserClaims> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    });
    // Every user is an auth.users uuid: a validly signed token naming anything else is no user.
    if (typeof payload.sub !== 'string' || !SUB.test(payload.sub)) throw new UnauthorizedError('Invalid bearer token', 'invalid_token');
    // Every user request runs as `authenticated` (withUser), so that is the role its claims say
    // too: a token claiming `service_role` would otherwise make auth.role() answer service_role
    // inside a member's transaction, which assert_ops_caller() and any policy on auth.role() trust.
    return { ...payload, sub: payload.sub, role: 'authenticated' };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired)
      throw new UnauthorizedError('Token has expired', 'token_expired');
    throw new UnauthorizedError('Invalid bearer token', 'invalid_token');
  }
}

export interface MintOptions {
  sub: string;
  email?: string;
  /** Default `authenticated`. */
  role?: string;
  /** Lifetime in seconds. Default 3600. */
  expiresIn?: number;
  /** `iat` in Unix seconds; default now. */
  issuedAt?: number;
  /** GoTrue's session claims, set on the tokens wabase's own /auth/v1 issues. */
  session?: {
    id: string;
    appMetadata: Record<string, unknown>;
    userMetadata: Record<string, unknown>;
  };
}

/** Signs a token with Supabase's claim shape (`aud: authenticated`). */
export function mintAccessToken(key: Uint8Array, options: MintOptions): Promise<string> {
  const now = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { email: options.email, role: options.role ?? 'authenticated', aud: 'authenticated' };
  if (options.session) {
    Object.assign(claims, {
      session_id: options.session.id,
      app_metadata: options.session.appMetadata,
      user_metadata: options.session.userMetadata,
      is_anonymous: false,
    });
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(key);
}

/** Issued-at of the anon key: fixed, so the key is the same on every start with the same secret. */
const ANON_KEY_IAT = 1_767_225_600;

/** The anon key of the embedded default: a JWT `{role: 'anon'}` signed with the JWT key, as Supabase's is. */
export function mintAnonKey(key: Uint8Array): Promise<string> {
  return new SignJWT({ role: 'anon', iss: 'wabase' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(ANON_KEY_IAT).sign(key);
}

/** The role of an API key (anon or service_role JWT signed with our key), or null when it is not one. */
export async function apiKeyRole(token: string, key: Uint8Array): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    return payload.role === 'anon' || payload.role === 'service_role' ? payload.role : null;
  } catch {
    return null;
  }
}
