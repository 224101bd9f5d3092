import type pg from 'pg';
import { sha256Hex } from './sessions.js';

type Db = Pick<pg.ClientBase, 'query'>;

/** An OAuth sign-in in flight: kept server-side for ten minutes, used once. */
export interface OAuthState {
  provider: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  redirectTo: string;
  /** sha256 of the cookie that binds the flow to the browser that started it. */
  browserHash: string;
}

export const OAUTH_STATE_TTL_SECONDS = 600;

/** Stores a flow under the sha256 of its state; expired flows are swept on the way. */
export async function saveOAuthState(db: Db, state: string, flow: OAuthState): Promise<void> {
  await db.query(
    `with swept as (delete from public.auth_oauth_states where expires_at < now())
     insert into public.auth_oauth_states
       (state_hash, browser_hash, provider, code_verifier, nonce, redirect_uri, redirect_to, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
    [sha256Hex(state), flow.browserHash, flow.provider, flow.codeVerifier, flow.nonce, flow.redirectUri, flow.redirectTo, OAUTH_STATE_TTL_SECONDS],
  );
}

/** Takes (deletes) the flow of a state: null when unknown, already used or expired. */
export async function takeOAuthState(db: Db, state: string): Promise<OAuthState | null> {
  const { rows } = await db.query<OAuthState & { expired: boolean }>(
    `delete from public.auth_oauth_states where state_hash = $1
     returning provider, code_verifier as "codeVerifier", nonce, redirect_uri as "redirectUri",
               redirect_to as "redirectTo", browser_hash as "browserHash", expires_at <= now() as expired`,
    [sha256Hex(state)],
  );
  const row = rows[0];
  if (!row || row.expired) return null;
  const { expired: _expired, ...flow } = row;
  return flow;
}
