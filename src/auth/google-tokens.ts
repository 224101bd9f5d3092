import type pg from 'pg';
import { encryptSecret } from '../hub/crypto.js';
import type { GoogleIdentity } from './google.js';

type Db = Pick<pg.ClientBase, 'query'>;

/**
 * Seed 001's google_tokens row of a Google account, updated on every sign-in: the access and
 * refresh tokens sealed with AES-256-GCM under the key that also seals connection tokens. A
 * sign-in without a new refresh token keeps the one stored. Never logged, never returned.
 */
export async function storeGoogleTokens(db: Db, key: Buffer, identity: GoogleIdentity): Promise<void> {
  await db.query(
    `insert into public.google_tokens (google_user_id, email, name, picture_url, access_token_enc, refresh_token_enc, expiry)
     values ($1, $2, $3, $4, $5, $6, case when $7::integer is null then null else now() + make_interval(secs => $7::integer) end)
     on conflict (google_user_id) do update set
       email = excluded.email,
       name = excluded.name,
       picture_url = excluded.picture_url,
       access_token_enc = excluded.access_token_enc,
       refresh_token_enc = coalesce(excluded.refresh_token_enc, public.google_tokens.refresh_token_enc),
       expiry = excluded.expiry,
       updated_at = now()`,
    [
      identity.sub,
      identity.email,
      identity.name,
      identity.picture,
      encryptSecret(key, identity.accessToken),
      identity.refreshToken === null ? null : encryptSecret(key, identity.refreshToken),
      identity.expiresIn === null ? null : Math.round(identity.expiresIn),
    ],
  );
}
