import type { UserClaims } from '../db/with-user.js';

/** Default bound on remembered tokens: a busy workspace's signed-in browsers, with room to spare. */
const DEFAULT_MAX = 2048;

/**
 * Access tokens already verified with one key, remembered until their `exp`. Verifying an HS256
 * token through WebCrypto costs about 0.4 ms; every request of a page carries the same token, so
 * the inbox's list, counts and thread reads paid it again and again. A hit needs the exact token
 * string (the same signature), so it proves what a fresh verification would; an expired entry is
 * dropped and the token verified again, which then fails as expired. Oldest entries go first
 * once `max` (default 2,048) are held.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, UserClaims & { exp: number }>();

  constructor(private readonly max = DEFAULT_MAX) {}

  /** The claims of `token` if it was verified and has not expired, else undefined. */
  get(token: string, nowMs = Date.now()): UserClaims | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    if (claims.exp * 1000 <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    // A copy: a caller changing its request's claims must not change the next request's.
    return { ...claims };
  }

  remember(token: string, claims: UserClaims): void {
    if (typeof claims.exp !== 'number') return;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { ...claims, exp: claims.exp });
  }

  get size(): number {
    return this.entries.size;
  }
}
