import type { Pool } from '../../db/pool.js';
import { AppError } from '../../errors.js';
import { claimAttempt, openAttempt, releaseAttempt, returnToOf } from './attempts.js';
import { runSteps, type SignupDeps } from './complete.js';

/** Where the redirect flow's callback sends the browser, and what to tell the page there. */
export interface CallbackOutcome {
  returnTo: string;
  /** `ready`: the code is exchanged, post …/signup/complete without it; else a failure code. */
  signup: 'ready' | 'failed';
  error: string | null;
}

/**
 * META_OAUTH_REDIRECT_URI, for a redirect flow (a Facebook dialog opened with redirect_uri instead
 * of the JS SDK's popup): Meta sends the browser here with `code` and our `state`. The state alone
 * identifies the attempt (it was bound to its user and workspace when it was started); only the
 * exchange runs here, with the same redirect_uri, and the page then completes the signup with its
 * WABA id, number id and PIN. Failures become a code in the URL, never Meta's text.
 */
export async function exchangeFromCallback(
  pool: Pool,
  deps: SignupDeps,
  params: { state: string | null; code: string | null; error: string | null },
  redirectUri: string,
): Promise<CallbackOutcome> {
  let returnTo = '/';
  try {
    if (!params.state) return { returnTo, signup: 'failed', error: 'invalid_signup_state' };
    returnTo = (await returnToOf(pool, params.state)) ?? returnTo;
    const attempt = await openAttempt(pool, params.state, null);
    if (params.error || !params.code) return { returnTo, signup: 'failed', error: 'signup_cancelled' };
    if (attempt.step !== 'exchange') return { returnTo, signup: 'ready', error: null };
    const claimed = await claimAttempt(pool, attempt, { wabaId: null, phoneNumberId: null });
    try {
      await runSteps(pool, deps, claimed, { code: params.code, redirectUri, access: null });
    } finally {
      await releaseAttempt(pool, claimed.id);
    }
    return { returnTo, signup: 'ready', error: null };
  } catch (error) {
    if (error instanceof AppError) return { returnTo, signup: 'failed', error: error.code };
    throw error;
  }
}
