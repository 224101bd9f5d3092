import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Pool } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';

type Db = Pick<pg.ClientBase, 'query'>;

/** A refresh token: 256 random bits, base64url. Only its sha256 is stored. */

/** A refresh token used again within this many seconds of its rotation is a race, not a theft (GoTrue's default). */
export const REUSE_INTERVAL_SECONDS = 10;
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

/** Starts a session for the user and returns it with its first refresh token. */
export async function createSession(db: Db, userId: string, client: ClientInfo): Promise<{ sessionId: string; refreshToken: string }> {
  const refreshToken = newOpaqueToken();
  const { rows } = await db.query<{ id: string }>(
    `with s as (
       insert into public.auth_sessions (user_id, user_agent, ip) values ($1, $2, $3) returning id
     )
     insert into public.auth_refresh_tokens (session_id, token_hash) select id, $4 from s returning session_id as id`,
    [userId, client.userAgent?.slice(0, 512) ?? null, client.ip, sha256Hex(refreshToken)],
  );
  return { sessionId: rows[0]!.id, refreshToken };
}

export type RotateResult =
  | { kind: 'rotated'; sessionId: string; userId: string; refreshToken: string } |
  { kind: 'not_found' } |
  { kind: 'reused' };

/**
 * Exchanges a refresh token for its successor: the old one is revoked, a new one (its child) is
 * returned. A token that was already used revokes its whole session (the family): someone else
 * holds a copy. The session row is locked first on every path, so two requests on one session
 * queue instead of deadlocking, and the second user of a token always sees it revoked.
 */
export async function rotateRefreshToken(pool: Pool, refreshToken: string): Promise<RotateResult> {
  const hash = sha256Hex(refreshToken);
  return withTransaction(pool, async (client) => {
    const found = await client.query<{ session_id: string }>('select session_id from public.auth_refresh_tokens where token_hash = $1', [hash]);
    const sessionId = found.rows[0]?.session_id;
    if (!sessionId) return { kind: 'not_found' };
    const session = await client.query<{ user_id: string; revoked_at: Date | null }>(
      'select user_id, revoked_at from public.auth_sessions where id = $1 for update',
      [sessionId],
    );
    const row = session.rows[0];
    if (!row || row.revoked_at) return { kind: 'not_found' };
    const token = await client.query<{ id: string; revoked: boolean }>(
      'select id, revoked from public.auth_refresh_tokens where token_hash = $1',
      [hash],
    );
    let current = token.rows[0];
    if (!current) return { kind: 'not_found' };
    if (current.revoked) {
      // As GoTrue's reuse interval: two tabs refreshing at once, or a retry whose answer was lost,
      // present the parent of a token issued moments ago. That is not theft: rotate from the child.
      const child = await client.query<{ id: string; revoked: boolean }>(
        `select id, revoked from public.auth_refresh_tokens
          where parent_id = $1 and not revoked and created_at > now() - make_interval(secs => $2)`,
        [current.id, REUSE_INTERVAL_SECONDS],
      );
      if (!child.rows[0]) {
        await revokeSessionRows(client, [sessionId]);
        return { kind: 'reused' };
      }
      current = child.rows[0];
    }
    const next = newOpaqueToken();
    await client.query('update public.auth_refresh_tokens set revoked = true where id = $1', [current.id]);
    await client.query('insert into public.auth_refresh_tokens (session_id, token_hash, parent_id) values ($1, $2, $3)', [
      sessionId,
      sha256Hex(next),
      current.id,
    ]);
    await client.query('update public.auth_sessions set refreshed_at = now() where id = $1', [sessionId]);
    return { kind: 'rotated', sessionId, userId: row.user_id, refreshToken: next };
  });
}

async function revokeSessionRows(db: Db, sessionIds: string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db.query('update public.auth_sessions set revoked_at = coalesce(revoked_at, now()) where id = any($1::uuid[])', [sessionIds]);
  await db.query('update public.auth_refresh_tokens set revoked = true where session_id = any($1::uuid[]) and not revoked', [sessionIds]);
}

/**
 * GoTrue's logout scopes: `local` ends this session, `others` every other session of the user,
 * `global` all of them. Without a session id (a token minted by `wabase auth token`), local does
 * nothing and others/global end every session.
 */
export async function revokeSessions(pool: Pool, userId: string, sessionId: string | null, scope: 'global' | 'local' | 'others'): Promise<void> {
  await withTransaction(pool, async (client) => {
    let ids: string[];
    if (scope === 'local') {
      if (!sessionId) return;
      ids = [sessionId];
    } else {
      const { rows } = await client.query<{ id: string }>(
        `select id from public.auth_sessions where user_id = $1 and revoked_at is null and ($2::uuid is null or id <> $2 or $3)
         order by id for update`,
        [userId, sessionId, scope === 'global'],
      );
      ids = rows.map((row) => row.id);
    }
    await revokeSessionRows(client, ids);
  });
}

/** True when the session exists, belongs to the user and was not revoked. */
export async function sessionIsActive(db: Db, sessionId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from public.auth_sessions where id = $1 and user_id = $2 and revoked_at is null', [sessionId, userId]);
  return rows.length > 0;
}
