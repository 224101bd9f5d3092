import { z } from 'zod';
import { id, integer, timestamp } from '../schemas.js';

/** A WhatsApp connection (wa_phone_numbers row) as the settings page lists it; never its token. */
export const connection = z.object({
  id,
  workspaceId: id,
  phoneNumberId: z.string(),
  wabaId: z.string().nullable(),
  displayPhoneNumber: z.string().nullable(),
  displayName: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  hasToken: z.boolean().describe('Whether an access token is stored (it is never returned)'),
  lastWebhookAt: timestamp.nullable().describe('Newest inbound message on the number, or event held as an orphan for it'),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const connectionList = z.object({
  connections: z.array(connection),
  canManage: z.boolean().describe('Whether the caller may add, change, test and connect numbers (owner, admin, platform admin)'),
});

/** What Graph says about a number. */
export const numberDetails = z.object({
  id: z.string(),
  displayPhoneNumber: z.string().nullable(),
  verifiedName: z.string().nullable(),
  qualityRating: z.string().nullable().describe('GREEN, YELLOW, RED or UNKNOWN'),
  codeVerificationStatus: z.string().nullable(),
  nameStatus: z.string().nullable(),
  platformType: z.string().nullable().describe('CLOUD_API once registered'),
  throughputLevel: z.string().nullable(),
});

/** A Graph call that failed, in Meta's terms, with what to do. */
export const graphFailure = z.object({
  httpStatus: integer.nullable().describe('Meta\'s HTTP status; null when the Graph API could not be reached'),
  metaCode: integer.nullable(),
  metaSubcode: integer.nullable(),
  message: z.string().describe('Meta\'s message'),
  retryable: z.boolean(),
  hint: z.string().describe('What to do, for a person'),
});

export const connectionTest = z.object({
  ok: z.boolean(),
  checkedAt: timestamp,
  details: numberDetails.nullable(),
  error: graphFailure.nullable(),
});

export const signupSettings = z.object({
  enabled: z.boolean().describe('Whether Connect with Facebook is offered (META_APP_ID, META_CONFIG_ID and META_APP_SECRET are set)'),
  appId: z.string().nullable().describe('FB.init({appId})'),
  configId: z.string().nullable().describe('FB.login(…, {config_id})'),
  graphVersion: z.string().describe('FB.init({version})'),
  redirectUri: z.string().nullable().describe('The redirect flow\'s redirect_uri (META_OAUTH_REDIRECT_URI, absolute); unused by the JS SDK popup'),
});

export const signupStarted = z.object({
  attemptId: id,
  state: z.string().describe('Send it back to …/signup/complete (and as the dialog\'s state in the redirect flow); keep it out of URLs you log'),
  expiresAt: timestamp.describe('Complete before this; once the code is exchanged, a failed signup may be retried for 24 hours'),
});

export const signupCompleted = z.object({
  attemptId: id,
  connection,
  created: z.boolean().describe('False when the workspace had this number already: its token was replaced and it is active again'),
});

/** A step of Embedded Signup refused by Meta (422) or failed at Meta (502). */
export const signupStepError = z.object({
  error: z.object({
    code: z.literal('signup_step_failed'),
    message: z.string(),
    step: z.enum(['exchange', 'subscribe', 'register', 'details']),
    attemptId: id,
    metaCode: integer.nullable(),
    metaSubcode: integer.nullable(),
    metaMessage: z.string(),
    hint: z.string(),
    retryable: z.boolean(),
  }),
});
