import type { Pool } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import { mintAccessToken } from './jwt.js';
import { type ClientInfo, createSession } from './sessions.js';
import { appMetadata, gotrueUser, recordSignIn, type UserRow, userMetadata } from './users.js';

/** GoTrue's token response (password and refresh_token grants, and the OAuth redirect's fragment). */
export interface SessionResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Record<string, unknown>;
}

export interface Issuer {
  jwtKey: Uint8Array;
  ttlSeconds: number;
}

/** Signs the access token of a session (HS256, Supabase's claims plus GoTrue's session claims). */
export async function sessionResponse(issuer: Issuer, user: UserRow, sessionId: string, refreshToken: string): Promise<SessionResponse> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const accessToken = await mintAccessToken(issuer.jwtKey, {
    sub: user.id,
    ...(user.email ? { email: user.email } : {}),
    expiresIn: issuer.ttlSeconds,
    issuedAt,
    session: { id: sessionId, appMetadata: appMetadata(user), userMetadata: userMetadata(user) },
  });
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: issuer.ttlSeconds,
    expires_at: issuedAt + issuer.ttlSeconds,
    refresh_token: refreshToken,
    user: gotrueUser(user),
  };
}

/** A successful sign-in: last_sign_in_at and provider recorded, a new session, its tokens. */
export async function signIn(pool: Pool, issuer: Issuer, userId: string, provider: string, client: ClientInfo): Promise<SessionResponse> {
  const { user, session } = await withTransaction(pool, async (db) => {
    const signedIn = await recordSignIn(db, userId, provider);
    return { user: signedIn, session: await createSession(db, userId, client) };
  });
  return sessionResponse(issuer, user, session.sessionId, session.refreshToken);
}
