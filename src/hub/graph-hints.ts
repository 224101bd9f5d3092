import type { GraphFailure } from './graph-api.js';

/** The Graph calls a person waits on: the steps of Embedded Signup, and "test connection". */
export type GraphStep = 'exchange' | 'subscribe' | 'register' | 'details' | 'test';

const RETRY = 'The steps already done are kept: retry and it continues from this one.';

/** What to do about a Meta error code, whatever the step. */
const BY_CODE: Record<number, string> = {
  190: 'The access token is invalid or has expired (Meta error 190). For Embedded Signup, start Connect with Facebook again for a new token; for a manual connection, replace the token (a System User token does not expire).',
  10: 'The token lacks a permission (Meta error 10): the Embedded Signup configuration must ask for whatsapp_business_management and whatsapp_business_messaging, and the person must grant both. Start again.',
  200: 'The token lacks a permission (Meta error 200): the Embedded Signup configuration must ask for whatsapp_business_management and whatsapp_business_messaging, and the person must grant both. Start again.',
  4: `Meta is rate limiting this app (error 4): wait a few minutes. ${RETRY}`,
  80007: `Meta is rate limiting this WhatsApp Business Account (error 80007): wait a few minutes. ${RETRY}`,
  130429: `Meta is rate limiting (error 130429): wait a few minutes. ${RETRY}`,
  368: 'The account is temporarily blocked for policy violations (Meta error 368): see Business Support Home in Meta Business Suite.',
  131031: 'The WhatsApp Business Account is locked or restricted (Meta error 131031): see WhatsApp Manager.',
  133005: `The number already has a two-step verification PIN and this one does not match (Meta error 133005): enter its current PIN, or change it in WhatsApp Manager, then retry. ${RETRY}`,
  133006: 'The number must be verified before it can be registered (Meta error 133006): verify it in WhatsApp Manager, then retry.',
  133008: 'Too many wrong PINs (Meta error 133008): wait as long as Meta says, then retry with the right PIN.',
  133009: 'PINs were tried too fast (Meta error 133009): wait a minute, then retry.',
  133015: 'The number was deleted from another account moments ago (Meta error 133015): wait 5 minutes, then retry.',
  133016: `This number reached Meta's limit of 10 registrations in 72 hours (error 133016): wait, then retry later. ${RETRY}`,
};

/** What to do about Meta's "invalid parameter" (100), which means something else at every step. */
const INVALID_PARAMETER: Record<GraphStep, string> = {
  exchange: 'Meta refused the code (error 100): codes are single-use and expire within minutes, and must come from this app (META_APP_ID, META_APP_SECRET). Start Connect with Facebook again.',
  subscribe: 'Meta refused to subscribe the app to the WhatsApp Business Account (error 100). When the message mentions the callback URI: before overriding a callback the app must be subscribed with a default callback and the messages field, so set the webhook URL and subscribe to messages in the Meta app dashboard (WhatsApp > Configuration), then retry. Otherwise check that the WABA id is the one Embedded Signup returned.',
  register: 'Meta refused to register the number (error 100): check that the phone number id is the one Embedded Signup returned and that the PIN is 6 digits, then retry.',
  details: 'Meta refused to read the number (error 100): check that the phone number id belongs to the WhatsApp Business Account, then retry.',
  test: 'Meta refused to read the number (error 100): the phone number id is wrong or does not belong to the account the token is for.',
};

const BY_STEP: Record<GraphStep, string> = {
  exchange: 'Meta did not exchange the code for a token. Start Connect with Facebook again.',
  subscribe: `Meta did not subscribe the app to the WhatsApp Business Account: fix what its message says. ${RETRY}`,
  register: `Meta did not register the number: fix what its message says. ${RETRY}`,
  details: `Meta did not return the number's details. ${RETRY}`,
  test: 'Meta refused the request: fix what its message says, or replace the token.',
};

/** A sentence for a person: what the failure of `step` means and what to do next. */
export function graphHint(step: GraphStep, failure: GraphFailure): string {
  if (failure.httpStatus === null) return `The Graph API could not be reached: check the server's network, then retry.${step === 'test' ? '' : ` ${RETRY}`}`;
  const code = failure.metaCode;
  if (code === 100) return INVALID_PARAMETER[step];
  if (code !== null && BY_CODE[code]) return BY_CODE[code];
  if (failure.retryable) return `Meta failed or is busy (HTTP ${failure.httpStatus}): wait a moment, then retry.${step === 'test' ? '' : ` ${RETRY}`}`;
  return BY_STEP[step];
}
