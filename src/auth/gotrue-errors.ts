/**
 * Errors of the /auth/v1 routes, in GoTrue's shape so `@supabase/auth-js` reads them as it reads
 * Supabase Auth's: with `X-Supabase-Api-Version: 2024-01-01` (auth-js always sends it) the body is
 * `{code, msg}`, else the legacy `{code: <status>, error_code, msg}`. Codes and messages are
 * GoTrue's own where GoTrue has one.
 */
export class GoTrueError extends Error {
  readonly status: number;
  readonly code: string;
  /** weak_password: GoTrue's `weak_password.reasons`. */
  readonly reasons?: string[];
  /** 429: seconds until a retry may succeed. */
  readonly retryAfterSeconds?: number;

  constructor(status: number, code: string, message: string, extra: { reasons?: string[]; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'GoTrueError';
    this.status = status;
    this.code = code;
    if (extra.reasons) this.reasons = extra.reasons;
    if (extra.retryAfterSeconds !== undefined) this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export const MIN_PASSWORD_LENGTH = 8;

export const gotrueErrors = {
  invalidCredentials: () => new GoTrueError(400, 'invalid_credentials', 'Invalid login credentials'),
  emailNotConfirmed: () => new GoTrueError(400, 'email_not_confirmed', 'Email not confirmed'),
  validation: (message: string) => new GoTrueError(400, 'validation_failed', message),
  badJson: () => new GoTrueError(400, 'bad_json', 'Could not parse request body as JSON'),
  unsupportedGrant: () => new GoTrueError(400, 'invalid_credentials', 'unsupported_grant_type'),
  refreshTokenNotFound: () => new GoTrueError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found'),
  refreshTokenAlreadyUsed: () => new GoTrueError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used'),
  rateLimited: (retryAfterSeconds: number) =>
    new GoTrueError(429, 'over_request_rate_limit', `Too many failed sign-ins: try again in ${retryAfterSeconds} s`, { retryAfterSeconds }),
  noAuthorization: () => new GoTrueError(401, 'no_authorization', 'This endpoint requires a valid Bearer token'),
  badJwt: (detail: string) => new GoTrueError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${detail}`),
  userNotFound: () => new GoTrueError(403, 'user_not_found', 'User from sub claim in JWT does not exist'),
  sessionNotFound: () => new GoTrueError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist'),
  weakPassword: () =>
    new GoTrueError(422, 'weak_password', `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, { reasons: ['length'] }),
  passwordTooLong: () => new GoTrueError(422, 'weak_password', 'Password cannot be longer than 72 bytes.', { reasons: ['length'] }),
  samePassword: () => new GoTrueError(422, 'same_password', 'New password should be different from the old password.'),
  emailChangeUnsupported: () => new GoTrueError(422, 'email_change_not_supported', 'Changing the email address is not supported on this server'),
  unexpected: () => new GoTrueError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information'),
};

const API_VERSION_2024 = Date.parse('2024-01-01T00:00:00Z');

/** The body GoTrue would send for `error`, given the request's X-Supabase-Api-Version. */
export function gotrueErrorBody(error: GoTrueError, requestApiVersion: string | undefined): Record<string, unknown> {
  const parsed = requestApiVersion && /^\d{4}-\d{2}-\d{2}$/.test(requestApiVersion) ? Date.parse(`${requestApiVersion}T00:00:00Z`) : NaN;
  const body: Record<string, unknown> =
    parsed >= API_VERSION_2024 ? { code: error.code, msg: error.message } : { code: error.status, error_code: error.code, msg: error.message };
  if (error.reasons) body.weak_password = { reasons: error.reasons };
  return body;
}
