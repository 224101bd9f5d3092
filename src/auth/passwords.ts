import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { MIN_PASSWORD_LENGTH } from './gotrue-errors.js';

/** GoTrue's cost: hashes move to and from Supabase Auth unchanged. */
const COST = 10;

/** Why a new password is refused, or null when it is acceptable. bcrypt reads only 72 bytes. */
export function passwordProblem(password: string): 'too_short' | 'too_long' | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (Buffer.byteLength(password, 'utf8') > 72) return 'too_long';
  return null;
}

export function passwordProblemMessage(problem: 'too_short' | 'too_long'): string {
  return problem === 'too_short' ? `Password should be at least ${MIN_PASSWORD_LENGTH} characters` : 'Password cannot be longer than 72 bytes';
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

/** Made once at load, so even the first unknown email takes a compare's time, not a hash's. */
const dummyHash = hashPassword(randomBytes(18).toString('base64url'));

/**
 * Compares a password with a stored bcrypt hash. Without a hash (unknown email, or a user without
 * a password) it still compares against a dummy of the same cost, so the answer takes as long.
 */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const usable = typeof hash === 'string' && /^\$2[aby]\$\d\d\$/.test(hash);
  if (!usable) {
    await bcrypt.compare(password, await dummyHash);
    return false;
  }
  return bcrypt.compare(password, hash);
}
