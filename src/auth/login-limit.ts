import type { AuthConfig } from '../config.js';
import type { Pool } from '../db/pool.js';
import { rateLimitKey } from '../db/rate-limit.js';
import { gotrueErrors } from './gotrue-errors.js';

const WINDOW_SECONDS = 60;

interface Slot {
  key: string;
  cap: number;
}

function slots(config: AuthConfig, email: string, ip: string): Slot[] {
  return [
    { key: `auth:password:email:${email.trim().toLowerCase()}`, cap: config.loginRateLimitPerEmail },
    { key: `auth:password:ip:${ip}`, cap: config.loginRateLimitPerIp },
  ];
}

interface Taken {
  key: string;
  window: Date;
}

/** Gives each slot back to the window it was taken in (not the current one, which may be the next). */
async function giveBack(pool: Pool, taken: Taken[]): Promise<void> {
  if (taken.length === 0) return;
  await pool.query(
    `update public.rate_limit_counters c set count = c.count - 1
     from unnest($1::text[], $2::timestamptz[]) as t(key, window_start)
     where c.key = t.key and c.window_start = t.window_start and c.count > 0`,
    [taken.map((slot) => slot.key), taken.map((slot) => slot.window)],
  );
}

/**
 * Failed password sign-ins are limited per email and per client IP over a sliding minute
 * (take_sliding_rate_limit_slot: a burst at the end of one minute still counts at the start of the
 * next). Every attempt takes a slot of both before the password is checked, so a burst of parallel
 * guesses cannot slip past the cap; `forgive` gives them back when the password was right, so only
 * failures count. Over the cap: GoTrue's 429 over_request_rate_limit.
 */
export async function takeLoginAttempt(pool: Pool, config: AuthConfig, email: string, ip: string): Promise<() => Promise<void>> {
  const taken: Taken[] = [];
  for (const slot of slots(config, email, ip)) {
    const key = rateLimitKey(slot.key, WINDOW_SECONDS);
    const result = await pool.query<{ granted: boolean; slot_window: Date | null; retry_after_seconds: number }>(
      'select granted, slot_window, retry_after_seconds from public.take_sliding_rate_limit_slot($1, $2, $3)',
      [key, slot.cap, WINDOW_SECONDS],
    );
    const row = result.rows[0];
    if (row?.granted && row.slot_window) {
      taken.push({ key, window: row.slot_window });
      continue;
    }
    await giveBack(pool, taken);
    throw gotrueErrors.rateLimited(row?.retry_after_seconds ?? WINDOW_SECONDS);
  }
  return () => giveBack(pool, taken);
}
