import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { ApiError, messageOf } from '../api/errors';
import type { FacebookSdk } from './facebook-sdk';
import { type SignupCompletion, useCompleteSignup, useStartSignup } from './mutations';
import type { SignupSettings } from './queries';
import { listenForSessionInfo, type SessionInfo } from './session-info';

/** How long to wait for Meta's session info once FB.login has returned a code. */
const SESSION_INFO_WAIT_MS = 8_000;

export type SignupPhase = 'preparing' | 'ready' | 'in-facebook' | 'finishing' | 'failed' | 'done';

export interface SignupFailure {
  message: string;
  /** The server step that failed (exchange, subscribe, register, details), when Meta refused one. */
  step: string | null;
  hint: string | null;
  /**
   * What helps: `resume` retries the server's steps where they stopped; `facebook` opens Meta's
   * window again (nothing reached the server); `restart` needs a new attempt (expired, used).
   */
  next: 'resume' | 'facebook' | 'restart';
}

const RESTART_CODES = ['invalid_signup_state', 'signup_state_expired', 'signup_state_used', 'signup_state_not_yours', 'signup_mismatch'];

function failureOf(error: unknown, fallback: SignupFailure['next']): SignupFailure {
  if (error instanceof ApiError && error.code === 'signup_step_failed') {
    const { step, hint, metaMessage } = error.details as { step?: string; hint?: string; metaMessage?: string };
    return { message: metaMessage ?? error.message, step: step ?? null, hint: hint ?? null, next: 'resume' };
  }
  const restart = error instanceof ApiError && RESTART_CODES.includes(error.code);
  return { message: messageOf(error), step: null, hint: null, next: restart ? 'restart' : fallback };
}

function cancelMessage(info: Exclude<SessionInfo, { event: 'FINISH' }>): string {
  if (info.event === 'ERROR') return info.message;
  return `The Facebook window was closed${info.step ? ` at “${info.step}”` : ''} before a number was chosen. Nothing was connected.`;
}

/**
 * Connect with Facebook as a state machine: a state from the server first (so the click opens
 * Meta's window at once — a popup opened after an await is blocked), then FB.login for the code
 * and the session info for the WABA and number, then the server's steps. A failed step is retried
 * with the same attempt, where it stopped.
 */
export function useEmbeddedSignup(workspaceId: string, settings: SignupSettings, sdk: FacebookSdk | null, onDone: (number: string) => void) {
  const start = useStartSignup(workspaceId);
  const complete = useCompleteSignup(workspaceId);
  const [inFacebook, setInFacebook] = useState(false);
  const [facebookFailure, setFacebookFailure] = useState<string | null>(null);
  const attempt = useRef<{ code?: string; info?: SessionInfo; pin?: string }>({});
  // Each opening of Meta's window: a late callback of an earlier one must not end a newer one.
  const opening = useRef(0);
  const state = start.data?.state ?? null;

  const startSignup = start.mutate;
  useEffect(() => startSignup(), [startSignup]);

  const fail = (message: string) => {
    setInFacebook(false);
    setFacebookFailure(message);
  };
  const finish = (completion: SignupCompletion) => {
    setInFacebook(false);
    complete.mutate(completion, { onSuccess: (result) => onDone(result.connection.displayPhoneNumber ?? result.connection.phoneNumberId) });
  };

  /** Both halves arrived: the code from FB.login and the ids from the session info. */
  const proceed = () => {
    const { code, info, pin } = attempt.current;
    if (!state || !code || !info) return;
    if (info.event === 'FINISH') finish({ state, code, wabaId: info.wabaId, phoneNumberId: info.phoneNumberId, ...(pin ? { pin } : {}) });
    else fail(cancelMessage(info));
  };

  // The listener lives as long as the dialog: Meta may post before or after FB.login's callback.
  const onSessionInfo = useEffectEvent((info: SessionInfo) => {
    attempt.current.info = info;
    if (info.event !== 'FINISH' && !attempt.current.code) fail(cancelMessage(info));
    else proceed();
  });
  useEffect(() => listenForSessionInfo(onSessionInfo), []);

  /** Must run inside the click handler: browsers only allow a popup opened by a click. */
  const openFacebook = (pin: string) => {
    if (!sdk || !settings.configId || !state) return;
    attempt.current = { pin };
    complete.reset();
    setFacebookFailure(null);
    setInFacebook(true);
    const mine = ++opening.current;
    sdk.login((response) => {
      if (mine !== opening.current) return;
      const code = response.authResponse?.code;
      if (!code) return fail('The Facebook window was closed before finishing. Nothing was connected.');
      attempt.current.code = code;
      if (attempt.current.info) return proceed();
      window.setTimeout(() => {
        if (!attempt.current.info && attempt.current.code === code) fail('Meta did not say which number was chosen. Start over and pick the number in the Facebook window.');
      }, SESSION_INFO_WAIT_MS);
    }, {
      config_id: settings.configId,
      response_type: 'code',
      override_default_response_type: true,
      extras: { setup: {}, sessionInfoVersion: '3' },
    });
  };

  /** The same attempt again from the step that failed (the server ignores the code once exchanged). */
  const retry = (pin: string) => {
    attempt.current.pin = pin;
    proceed();
  };

  const startOver = () => {
    attempt.current = {};
    complete.reset();
    setFacebookFailure(null);
    start.mutate();
  };

  const failure: SignupFailure | null = start.isError
    ? failureOf(start.error, 'restart')
    : facebookFailure
      ? { message: facebookFailure, step: null, hint: null, next: 'facebook' }
      : complete.isError ? failureOf(complete.error, 'resume') : null;
  const phase: SignupPhase = start.isPending
    ? 'preparing'
    : failure ? 'failed' : complete.isPending ? 'finishing' : complete.isSuccess ? 'done' : inFacebook ? 'in-facebook' : 'ready';
  return { phase, failure, openFacebook, retry, startOver };
}
