import type { Pool } from '../../db/pool.js';
import { takeRateLimitSlot } from '../../db/rate-limit.js';
import type { UserClaims } from '../../db/with-user.js';
import { requireWorkspaceManager } from '../workspace-access.js';
import { createAttempt } from './attempts.js';
import { requireSignupApp, type SignupDeps } from './complete.js';

/** Signups a user may start per minute (each is a row until it is swept). */
const STARTS_PER_MINUTE = 20;

/** The inbox of a workspace: where the redirect flow returns by default. */
export const defaultReturnTo = (workspaceId: string) => `/dashboard/meta-hub/whatsapp/${workspaceId}`;

/** `POST …/signup/start`: an owner or admin begins Connect with Facebook for a workspace. */
export async function startSignup(
  pool: Pool,
  deps: SignupDeps,
  claims: UserClaims,
  input: { workspaceId: string; returnTo: string | null },
): Promise<{ attemptId: string; state: string; expiresAt: Date }> {
  requireSignupApp(deps);
  await requireWorkspaceManager(pool, deps.allowlist, claims, input.workspaceId);
  await takeRateLimitSlot(pool, `signup-start:${claims.sub}`, STARTS_PER_MINUTE, 60);
  const returnTo = input.returnTo ?? defaultReturnTo(input.workspaceId);
  const attempt = await createAttempt(pool, { workspaceId: input.workspaceId, userId: claims.sub, returnTo });
  return { attemptId: attempt.id, state: attempt.state, expiresAt: attempt.expiresAt };
}
