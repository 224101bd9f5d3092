/**
 * What a failed Google sign-in means, by the error code the server puts in `/sign-in?error_code=`.
 * The free-text description in the URL is never shown: anyone can craft such a link.
 */
const MESSAGES: Record<string, string> = {
  email_not_verified: 'Your Google email address is not verified, so it cannot be used to sign in.',
  email_missing: 'Google did not share an email address for this account.',
  invalid_state: 'The sign-in took too long or was started in another browser. Please try again.',
  invalid_grant: 'Google did not accept this sign-in. Please try again.',
  id_token_expired: 'The sign-in took too long. Please try again.',
  invalid_id_token: 'Google\u2019s answer could not be verified. Please try again.',
  provider_error: 'Google refused the sign-in.',
  access_denied: 'The sign-in was cancelled at Google.',
  provider_unreachable: 'Google could not be reached. Please try again in a moment.',
  provider_disabled: 'Sign-in with Google is not enabled on this server.',
  invalid_redirect: 'That sign-in link pointed outside this site, so it was stopped.',
};

export function signInErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  return MESSAGES[code] ?? 'Sign-in with Google failed. Please try again.';
}
