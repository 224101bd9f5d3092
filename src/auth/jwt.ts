import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Config } from '../config.js';
import type { UserClaims } from '../db/with-user.js';
import { UnauthorizedError } from '../errors.js';
import { localSecrets } from '../local-secrets.js';

/** The HS256 key: SUPABASE_JWT_SECRET, else the one generated once into WABASE_HOME. */
export function jwtKey(config: Config): Uint8Array {
  return new TextEncoder().encode(config.jwtSecret ?? localSecrets(config.home).jwtSecret);
}

/** Verifies a Supabase-compatible access token (HS256, `sub` and `exp` required). */
export async function verifyAccessToken(token: string, key: Uint8Array): Promise<UserClaims> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    });
    return {
      ...payload,
      sub: String(payload.sub),
      role: typeof payload.role === 'string' ? payload.role : 'authenticated',
    };
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
}

/** Signs a token with Supabase's claim shape (`aud: authenticated`). */
export function mintAccessToken(key: Uint8Array, options: MintOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: options.email, role: options.role ?? 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(key);
}
