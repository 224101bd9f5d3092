import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { UserClaims } from '../../db/with-user.js';
import { AppError, ConflictError, InputError } from '../../errors.js';
import { auditConnection, auditedColumns } from '../connection-audit.js';
import { type Connection, connectionById, type ConnectionsDeps } from '../connections-admin.js';
import { decryptSecret, encryptSecret } from '../crypto.js';
import type { GraphResult } from '../graph-api.js';
import { saveConnection } from '../setup.js';
import { requireWorkspaceManager, type WorkspaceAccess } from '../workspace-access.js';
import { type Attempt, claimAttempt, finishAttempt, openAttempt, recordFailure, recordStep, releaseAttempt, type SignupStep } from './attempts.js';
import { exchangeCode, readNumber, registerNumber, type SignupApp, stepError, subscribeApp } from './steps.js';

export interface SignupDeps extends ConnectionsDeps {
  /** Null when Embedded Signup is not configured. */
  app: SignupApp | null;
}

export interface CompleteInput {
  state: string;
  code?: string | undefined;
  wabaId: string;
  phoneNumberId: string;
  pin?: string | undefined;
}

export interface SignupResult {
  attemptId: string;
  connection: Connection;
  /** False when the workspace had the number already: its token was replaced and it is active again. */
  created: boolean;
}

export function requireSignupApp(deps: SignupDeps): SignupApp {
  if (!deps.app) throw new ConflictError('embedded_signup_disabled', 'Embedded Signup is not configured on this server: set META_APP_ID, META_CONFIG_ID and META_APP_SECRET');
  return deps.app;
}

/** What a step needs from the request, checked before any step runs. */
function checkInput(attempt: Attempt, input: CompleteInput): void {
  if (attempt.wabaId && attempt.wabaId !== input.wabaId) throw new ConflictError('signup_mismatch', 'wabaId: this signup is for another WhatsApp Business Account; start a new signup for this one');
  if (attempt.phoneNumberId && attempt.phoneNumberId !== input.phoneNumberId) throw new ConflictError('signup_mismatch', 'phoneNumberId: this signup is for another number; start a new signup for this one');
  if (attempt.step === 'exchange' && !input.code) throw new InputError('body.code: required until the code is exchanged: send the code FB.login returned');
  if (['exchange', 'subscribe', 'register'].includes(attempt.step) && !input.pin) throw new InputError('body.pin: required to register the number: the 6-digit two-step verification PIN to set');
}

/**
 * The state machine: runs the attempt's steps from the one it stopped at (exchange → subscribe →
 * register → details → store), recording each as done, so a retry never repeats a finished step
 * (the code is single-use: once exchanged it is never sent again). A failure is recorded on the
 * attempt and thrown as signup_step_failed. With `exchangeOnly` it stops after the exchange
 * (the redirect flow's callback). Returns null when it stopped early.
 */
export async function runSteps(
  pool: Pool,
  deps: SignupDeps,
  attempt: Attempt,
  input: { code?: string | undefined; pin?: string | undefined; redirectUri: string | null; access: WorkspaceAccess | null },
): Promise<SignupResult | null> {
  const app = requireSignupApp(deps);
  let step: SignupStep | 'done' = attempt.step;
  let token = attempt.tokenEnc ? decryptSecret(deps.key(), attempt.tokenEnc) : null;
  const details = { displayPhoneNumber: attempt.displayPhoneNumber, verifiedName: attempt.verifiedName };
  const check = async <T>(name: Exclude<SignupStep, 'store'>, result: GraphResult<T>): Promise<T> => {
    if (result.ok) return result.body;
    await recordFailure(pool, attempt.id, { step: name, code: 'signup_step_failed', metaCode: result.failure.metaCode, message: result.failure.message });
    throw stepError(name, attempt.id, result.failure);
  };
  if (step === 'exchange') {
    token = await check('exchange', await exchangeCode(deps.graph, app, input.code ?? '', input.redirectUri));
    await recordStep(pool, attempt.id, (step = 'subscribe'), { tokenEnc: encryptSecret(deps.key(), token) });
  }
  if (!input.access) return null;
  if (!token || !attempt.wabaId || !attempt.phoneNumberId) throw new Error('a signup attempt past its exchange lacks its token or ids');
  if (step === 'subscribe') {
    await check('subscribe', await subscribeApp(deps.graph, attempt.wabaId, token));
    await recordStep(pool, attempt.id, (step = 'register'));
  }
  if (step === 'register') {
    await check('register', await registerNumber(deps.graph, attempt.phoneNumberId, token, input.pin ?? ''));
    await recordStep(pool, attempt.id, (step = 'details'));
  }
  if (step === 'details') {
    const number = await check('details', await readNumber(deps.graph, attempt.phoneNumberId, token));
    Object.assign(details, { displayPhoneNumber: number.displayPhoneNumber, verifiedName: number.verifiedName });
    await recordStep(pool, attempt.id, (step = 'store'), details);
  }
  return store(pool, deps, input.access, { ...attempt, ...details }, token);
}

/** The last step, in one transaction: the connection (token encrypted), the attempt done, the audit row. */
async function store(pool: Pool, deps: SignupDeps, access: WorkspaceAccess, attempt: Attempt, token: string): Promise<SignupResult> {
  try {
    return await withTransaction(pool, async (client) => {
      const saved = await saveConnection(client, deps.key(), {
        workspaceId: attempt.workspaceId,
        phoneNumberId: attempt.phoneNumberId!,
        wabaId: attempt.wabaId,
        token,
        displayPhoneNumber: attempt.displayPhoneNumber,
        displayName: attempt.verifiedName,
      }, 'update');
      await finishAttempt(client, attempt.id, saved.id);
      const connection = (await connectionById(client, saved.id))!;
      await auditConnection(client, access, {
        action: 'workspace.connection.signup_completed',
        connectionId: saved.id,
        after: auditedColumns(connection),
        meta: { via: 'embedded_signup', attemptId: attempt.id, created: saved.created },
      });
      return { attemptId: attempt.id, connection, created: saved.created };
    });
  } catch (error) {
    if (error instanceof AppError) await recordFailure(pool, attempt.id, { step: 'store', code: error.code, metaCode: null, message: error.message });
    throw error;
  }
}

/** `POST …/signup/complete`: the browser's part is done (FB.login and its session info); run the rest. */
export async function completeSignup(pool: Pool, deps: SignupDeps, claims: UserClaims, input: CompleteInput): Promise<SignupResult> {
  requireSignupApp(deps);
  const attempt = await openAttempt(pool, input.state, claims.sub);
  const access = await requireWorkspaceManager(pool, deps.allowlist, claims, attempt.workspaceId);
  checkInput(attempt, input);
  const claimed = await claimAttempt(pool, attempt, { wabaId: input.wabaId, phoneNumberId: input.phoneNumberId });
  try {
    return (await runSteps(pool, deps, claimed, { code: input.code, pin: input.pin, redirectUri: null, access }))!;
  } finally {
    await releaseAttempt(pool, claimed.id);
  }
}
