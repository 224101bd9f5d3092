import type pg from 'pg';
import { RateLimitedError } from '../errors.js';

/**
 * The counter row's key: a window's start means something only with its length, so the same key
 * under a 1 s and a 30 s window must not share a row when a 1 s window starts on a 30 s boundary.
 */
export const rateLimitKey = (key: string, windowSeconds: number) => `${key}/${windowSeconds}s`;

/**
 * Takes one slot of `cap` per `windowSeconds` for `key` (the take_rate_limit_slot function);
 * throws RateLimitedError with the seconds until the window ends when none is left.
 */
export async function takeRateLimitSlot(db: Pick<pg.ClientBase, 'query'>, key: string, cap: number, windowSeconds: number): Promise<void> {
  const result = await db.query<{ ok: boolean }>('select public.take_rate_limit_slot($1, $2, $3) as ok', [rateLimitKey(key, windowSeconds), cap, windowSeconds]);
  if (result.rows[0]?.ok) return;
  const now = Date.now() / 1000;
  const retryAfter = Math.max(1, Math.ceil(Math.floor(now / windowSeconds) * windowSeconds + windowSeconds - now));
  throw new RateLimitedError(retryAfter, `Too many requests: at most ${cap} per ${windowSeconds} s, retry in ${retryAfter} s`);
}
