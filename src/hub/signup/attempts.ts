import type pg from 'pg';
import { OAUTH_STATE_TTL_SECONDS } from '../../auth/oauth-states.js';
import { newOpaqueToken, sha256Hex } from '../../auth/sessions.js';
import { ConflictError, ForbiddenError, InputError } from '../../errors.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** The steps of Embedded Signup, in order; an attempt's `step` is the next one to run. */
export const SIGNUP_STEPS = ['exchange', 'subscribe', 'register', 'details', 'store'] as const;
export type SignupStep = (typeof SIGNUP_STEPS)[number];

/** A wa_signup_attempts row, as the state machine uses it. */
export interface Attempt {
  id: string;
  workspaceId: string;
  userId: string;
  step: SignupStep | 'done';
  wabaId: string | null;
  phoneNumberId: string | null;
  tokenEnc: string | null;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  returnTo: string;
  expired: boolean;
}

/** How long a started signup may wait for its first completion (as a Google sign-in's state does). */
export const SIGNUP_STATE_TTL_SECONDS = OAUTH_STATE_TTL_SECONDS;
/** Once the code is exchanged, how long a failed signup may still be retried from where it stopped. */
export const SIGNUP_RESUME_SECONDS = 24 * 3600;
/** How long one completion request holds its attempt (four Graph calls of at most 15 s each fit). */
const LEASE_SECONDS = 120;

const COLUMNS = `id, workspace_id as "workspaceId", user_id as "userId", step, waba_id as "wabaId", phone_number_id as "phoneNumberId",
  access_token_enc as "tokenEnc", display_phone_number as "displayPhoneNumber", verified_name as "verifiedName",
  return_to as "returnTo", expires_at <= now() as expired`;

/**
 * Starts a signup: a random state for the browser, of which only the sha256 is stored, bound to
 * the user and workspace. Attempts expired for a day are swept on the way (until then an old
 * state is still recognised, and refused as expired or used rather than unknown).
 */
export async function createAttempt(
  db: Queryable,
  input: { workspaceId: string; userId: string; returnTo: string },
): Promise<{ id: string; state: string; expiresAt: Date }> {
  const state = newOpaqueToken();
  const { rows } = await db.query<{ id: string; expiresAt: Date }>(
    `with swept as (delete from public.wa_signup_attempts where expires_at < now() - interval '1 day')
     insert into public.wa_signup_attempts (state_hash, workspace_id, user_id, return_to, expires_at)
     values ($1, $2, $3, $4, now() + make_interval(secs => $5))
     returning id, expires_at as "expiresAt"`,
    [sha256Hex(state), input.workspaceId, input.userId, input.returnTo, SIGNUP_STATE_TTL_SECONDS],
  );
  return { ...rows[0]!, state };
}

/**
 * The attempt of a state, refused when the state is unknown (forged, or swept), belongs to
 * another user (when `userId` is given), was completed already (a replay) or has expired.
 */
export async function openAttempt(db: Queryable, state: string, userId: string | null): Promise<Attempt> {
  const { rows } = await db.query<Attempt & { completed: boolean }>(
    `select ${COLUMNS}, completed_at is not null as completed from public.wa_signup_attempts where state_hash = $1`,
    [sha256Hex(state)],
  );
  const row = rows[0];
  if (!row) throw new InputError('state: this signup is unknown to this server; start Connect with Facebook again', 'invalid_signup_state');
  if (userId !== null && row.userId !== userId) throw new ForbiddenError('signup_state_not_yours', 'This signup was started by another user; start your own');
  if (row.completed) throw new ConflictError('signup_state_used', 'This signup is already complete; start a new one to connect another number');
  if (row.expired) throw new InputError('state: this signup has expired; start Connect with Facebook again', 'signup_state_expired');
  const { completed: _completed, ...attempt } = row;
  return attempt;
}

/** Where a state's redirect flow returns to, even when the state is refused (used, expired); null when unknown. */
export async function returnToOf(db: Queryable, state: string): Promise<string | null> {
  const { rows } = await db.query<{ returnTo: string }>('select return_to as "returnTo" from public.wa_signup_attempts where state_hash = $1', [sha256Hex(state)]);
  return rows[0]?.returnTo ?? null;
}

/**
 * Takes the attempt for one completion request, binding it to its WABA and number on first use.
 * 409 signup_in_progress while another request holds it (a double submit).
 */
export async function claimAttempt(db: Queryable, attempt: Attempt, ids: { wabaId: string | null; phoneNumberId: string | null }): Promise<Attempt> {
  const { rows } = await db.query<Attempt>(
    `update public.wa_signup_attempts set locked_until = now() + make_interval(secs => $4), updated_at = now(),
       waba_id = coalesce(waba_id, $2), phone_number_id = coalesce(phone_number_id, $3)
     where id = $1 and completed_at is null and (locked_until is null or locked_until < now())
     returning ${COLUMNS}`,
    [attempt.id, ids.wabaId, ids.phoneNumberId, LEASE_SECONDS],
  );
  if (!rows[0]) throw new ConflictError('signup_in_progress', 'This signup is being completed by another request; wait for it, then retry');
  return rows[0];
}

/** Lets the attempt go, whatever happened. */
export async function releaseAttempt(db: Queryable, id: string): Promise<void> {
  await db.query('update public.wa_signup_attempts set locked_until = null where id = $1', [id]);
}

/** A step done: the next step, and what the step learnt. A successful exchange opens the resume window. */
export async function recordStep(
  db: Queryable,
  id: string,
  next: SignupStep,
  learnt: { tokenEnc?: string; displayPhoneNumber?: string | null; verifiedName?: string | null } = {},
): Promise<void> {
  await db.query(
    `update public.wa_signup_attempts set step = $2, last_error = null, updated_at = now(),
       access_token_enc = coalesce($3, access_token_enc),
       display_phone_number = case when $2 = 'store' then $4 else display_phone_number end,
       verified_name = case when $2 = 'store' then $5 else verified_name end,
       expires_at = case when $3::text is not null then now() + make_interval(secs => $6) else expires_at end
     where id = $1`,
    [id, next, learnt.tokenEnc ?? null, learnt.displayPhoneNumber ?? null, learnt.verifiedName ?? null, SIGNUP_RESUME_SECONDS],
  );
}

/** A step failed: kept on the attempt (code and Meta's words; never a token) for support to read. */
export async function recordFailure(
  db: Queryable,
  id: string,
  failure: { step: SignupStep; code: string; metaCode: number | null; message: string },
): Promise<void> {
  await db.query('update public.wa_signup_attempts set last_error = $2, updated_at = now() where id = $1', [id, JSON.stringify(failure)]);
}

/** The last step: done, with the connection it made; the attempt's copy of the token is dropped. */
export async function finishAttempt(db: Queryable, id: string, connectionId: string): Promise<void> {
  await db.query(
    `update public.wa_signup_attempts set step = 'done', connection_id = $2, access_token_enc = null, last_error = null,
       locked_until = null, completed_at = now(), updated_at = now()
     where id = $1`,
    [id, connectionId],
  );
}
