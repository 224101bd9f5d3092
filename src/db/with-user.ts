import type { Pool, PoolClient } from './pool.js';
import { withTransaction } from './tx.js';

/** Supabase-compatible JWT claims of the caller. */
export interface UserClaims {
  sub: string;
  email?: string;
  role: string;
  exp?: number;
  [claim: string]: unknown;
}

/**
 * Runs `fn` in a transaction as the caller, the way PostgREST does: the claims go into
 * `request.jwt.claims` (read by `auth.uid()`, `auth.jwt()`…) and the role becomes `authenticated`,
 * so the RLS policies of the migrations decide what the caller sees. Both settings are local to
 * the transaction and vanish with it.
 */
export function withUser<T>(
  pool: Pool,
  claims: UserClaims,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query(
      'select set_config(\'request.jwt.claims\', $1, true), set_config(\'role\', \'authenticated\', true)',
      [JSON.stringify(claims)],
    );
    return fn(client);
  });
}
