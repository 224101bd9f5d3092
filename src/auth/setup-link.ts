import type pg from 'pg';
import type { Pool } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import { newOpaqueToken, sha256Hex } from './sessions.js';

type Db = Pick<pg.ClientBase, 'query'>;

export const SETUP_LINK_TTL_SECONDS = 3600;

/**
 * A one-time first-run token (256 random bits; only its sha256 is stored), valid one hour.
 * Creating one ends every older unused link, so only the last printed link works.
 */
export async function createSetupLink(pool: Pool): Promise<{ token: string; expiresAt: Date }> {
  const token = newOpaqueToken();
  const expiresAt = await withTransaction(pool, async (client) => {
    await client.query('update public.auth_setup_links set expires_at = now() where used_at is null and expires_at > now()');
    const { rows } = await client.query<{ expires_at: Date }>(
      'insert into public.auth_setup_links (token_hash, expires_at) values ($1, now() + make_interval(secs => $2)) returning expires_at',
      [sha256Hex(token), SETUP_LINK_TTL_SECONDS],
    );
    return rows[0]!.expires_at;
  });
  return { token, expiresAt };
}

/** When the link expires, or null when it is unknown, used or expired. */
export async function setupLinkExpiry(db: Db, token: string): Promise<Date | null> {
  const { rows } = await db.query<{ expires_at: Date }>(
    'select expires_at from public.auth_setup_links where token_hash = $1 and used_at is null and expires_at > now()',
    [sha256Hex(token)],
  );
  return rows[0]?.expires_at ?? null;
}

/** Marks a valid link used inside the caller's transaction; false when it is not (or no longer) valid. */
export async function consumeSetupLink(db: Db, token: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'update public.auth_setup_links set used_at = now() where token_hash = $1 and used_at is null and expires_at > now()',
    [sha256Hex(token)],
  );
  return (rowCount ?? 0) > 0;
}
