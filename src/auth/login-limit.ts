import type { AuthConfig } from '../config.js';
import type { Pool } from '../db/pool.js';
import { rateLimitKey, takeRateLimitSlot } from '../db/rate-limit.js';
import { RateLimitedError } from '../errors.js';
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

async function giveBack(pool: Pool, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await pool.query(
    `update public.rate_limit_counters set count = count - 1
     where key = any($1::text[]) and count > 0
       and window_start = to_timestamp(floor(extract(epoch from clock_timestamp()) / $2) * $2)`,
    [keys.map((key) => rateLimitKey(key, WINDOW_SECONDS)), WINDOW_SECONDS],
  );
}

/**
 * Failed password sign-ins are limited per email and per client IP (take_rate_limit_slot, fixed
 * one-minute windows). Every attempt takes a slot of both before the password is checked, so a
 * burst of parallel guesses cannot slip past the cap; `forgive` gives them back when the password
 * was right, so only failures count. Over the cap: GoTrue's 429 over_request_rate_limit.
 */
export async function takeLoginAttempt(pool: Pool, config: AuthConfig, email: string, ip: string): Promise<() => Promise<void>> {
  const taken: string[] = [];
  for (const slot of slots(config, email, ip)) {
    try {
      await takeRateLimitSlot(pool, slot.key, slot.cap, WINDOW_SECONDS);
      taken.push(slot.key);
    } catch (error) {
      await giveBack(pool, taken);
      if (error instanceof RateLimitedError) throw gotrueErrors.rateLimited(error.retryAfterSeconds);
      throw error;
    }
  }
  return () => giveBack(pool, taken);
}
