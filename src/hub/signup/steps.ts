import { UpstreamError } from '../../errors.js';
import { type GraphFailure, type GraphResult, type GraphTarget, graphCall } from '../graph-api.js';
import { graphHint } from '../graph-hints.js';
import { fetchNumberDetails, type NumberDetails } from '../number-details.js';
import type { SignupStep } from './attempts.js';

/** The Meta app that runs Embedded Signup (META_APP_ID, META_APP_SECRET). */
export interface SignupApp {
  appId: string;
  appSecret: string;
}

const LABEL: Record<Exclude<SignupStep, 'store'>, string> = {
  exchange: 'Exchanging the code for a token',
  subscribe: 'Subscribing the app to the WhatsApp Business Account',
  register: 'Registering the number',
  details: 'Reading the number\'s details',
};

/**
 * A step's Graph failure as the client sees it: 422 when Meta refused (what was sent must change,
 * or time must pass), 502 when Meta failed or could not be reached; always with the step, Meta's
 * code and words, and what to do.
 */
export function stepError(step: Exclude<SignupStep, 'store'>, attemptId: string, failure: GraphFailure): UpstreamError {
  const status = failure.httpStatus === null || failure.httpStatus >= 500 ? 502 : 422;
  return new UpstreamError('signup_step_failed', `${LABEL[step]} failed: ${failure.message}`, status, {
    step,
    attemptId,
    metaCode: failure.metaCode,
    metaSubcode: failure.metaSubcode,
    metaMessage: failure.message,
    hint: graphHint(step, failure),
    retryable: failure.retryable,
  });
}

const malformed = (httpStatus: number, message: string): GraphFailure => ({ httpStatus, metaCode: null, metaSubcode: null, message, retryable: true });

/**
 * `GET /oauth/access_token?client_id&client_secret&code[&redirect_uri]`: the business token.
 * The popup flow (FB.login in the JS SDK) has no redirect_uri; the redirect flow must send the
 * exact one its dialog used.
 */
export async function exchangeCode(graph: GraphTarget, app: SignupApp, code: string, redirectUri: string | null): Promise<GraphResult<string>> {
  const query: Record<string, string> = { client_id: app.appId, client_secret: app.appSecret, code };
  if (redirectUri) query.redirect_uri = redirectUri;
  const result = await graphCall<{ access_token?: unknown }>(graph, { method: 'GET', path: 'oauth/access_token', query, secrets: [code, app.appSecret] });
  if (!result.ok) return result;
  const token = result.body.access_token;
  return typeof token === 'string' && token !== '' ? { ok: true, body: token } : { ok: false, failure: malformed(200, 'Meta answered without an access token') };
}

/** `POST /{version}/{path}` expecting `{success: true}`. */
async function succeed(graph: GraphTarget, path: string, token: string, body?: Record<string, unknown>): Promise<GraphResult<true>> {
  const result = await graphCall<{ success?: unknown }>(graph, { method: 'POST', path, token, secrets: [token], ...(body ? { body } : {}) });
  if (!result.ok) return result;
  return result.body.success === true ? { ok: true, body: true } : { ok: false, failure: malformed(200, 'Meta did not answer success: true') };
}

/** `POST /{waba_id}/subscribed_apps`: webhooks of the WABA come to this app. */
export function subscribeApp(graph: GraphTarget, wabaId: string, token: string): Promise<GraphResult<true>> {
  return succeed(graph, `${encodeURIComponent(wabaId)}/subscribed_apps`, token);
}

/** `POST /{phone_number_id}/register {messaging_product, pin}`: the PIN becomes the number's two-step PIN. */
export function registerNumber(graph: GraphTarget, phoneNumberId: string, token: string, pin: string): Promise<GraphResult<true>> {
  return succeed(graph, `${encodeURIComponent(phoneNumberId)}/register`, token, { messaging_product: 'whatsapp', pin });
}

/** `GET /{phone_number_id}?fields=…`. */
export function readNumber(graph: GraphTarget, phoneNumberId: string, token: string): Promise<GraphResult<NumberDetails>> {
  return fetchNumberDetails(graph, phoneNumberId, token);
}
