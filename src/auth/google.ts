import * as oauth from 'oauth4webapi';
import type { AuthConfig } from '../config.js';

type GoogleConfig = NonNullable<AuthConfig['google']>;

/** A sign-in that cannot go on; `code` and `description` go to the sign-in page. */
export class SignInError extends Error {
  readonly code: string;
  constructor(code: string, description: string, options: { cause?: unknown } = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SignInError';
    this.code = code;
  }
}

/** What the callback learns from the provider. Tokens stay server-side. */
export interface GoogleIdentity {
  sub: string;
  email: string;
  name: string | null;
  picture: string | null;
  issuer: string;
  accessToken: string;
  refreshToken: string | null;
  expiresIn: number | null;
}

export interface AuthorizationRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
  url: string;
}

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const TIMEOUT_MS = 10_000;

/** A provider's error code, reduced to what may be shown. */
const shown = (code: string): string => code.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64) || 'unknown_error';

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Maps what oauth4webapi or the network threw to a sign-in error with a clear message. */
function explain(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    if (error.error === 'invalid_grant')
      return new SignInError('invalid_grant', 'Google refused the sign-in code (it was already used or has expired). Please sign in again.', { cause: error });
    return new SignInError('provider_error', `Google refused the sign-in (${shown(error.error)}). Please try again.`, { cause: error });
  }
  const code = (error as { code?: string }).code;
  if (code === oauth.JWT_TIMESTAMP_CHECK) return new SignInError('id_token_expired', 'Google\'s ID token has expired. Please sign in again.', { cause: error });
  if (code && code.startsWith('OAUTH_')) return new SignInError('invalid_id_token', 'Google\'s answer could not be verified. Please sign in again.', { cause: error });
  if (error instanceof TypeError || (error as { name?: string }).name === 'TimeoutError')
    return new SignInError('provider_unreachable', 'Google could not be reached. Please try again in a moment.', { cause: error });
  return new SignInError('server_error', 'Sign-in with Google failed on the server. Please try again.', { cause: error });
}

/**
 * Google sign-in as an OpenID Connect client (oauth4webapi): authorization code with PKCE (S256),
 * state and nonce; the ID token's claims are checked (issuer, audience, expiry, nonce) and its
 * signature verified against the provider's JWKS. Discovery is cached for an hour.
 */
export class GoogleSignIn {
  private readonly issuer: URL;
  private readonly client: oauth.Client;
  private readonly clientAuth: oauth.ClientAuth;
  private readonly insecure: boolean;
  private readonly jwks: oauth.JWKSCacheInput = {};
  private discovered: { at: number; as: oauth.AuthorizationServer } | null = null;

  constructor(config: GoogleConfig) {
    this.issuer = new URL(config.issuer);
    this.client = { client_id: config.clientId };
    this.clientAuth = oauth.ClientSecretPost(config.clientSecret);
    // Plain http only for a provider on this machine (tests, local fakes).
    this.insecure = isLoopbackHttp(this.issuer);
  }

  private options<T extends object>(extra: T = {} as T) {
    return { ...extra, signal: AbortSignal.timeout(TIMEOUT_MS), [oauth.allowInsecureRequests]: this.insecure };
  }

  private async server(): Promise<oauth.AuthorizationServer> {
    if (this.discovered && Date.now() - this.discovered.at < DISCOVERY_TTL_MS) return this.discovered.as;
    try {
      const response = await oauth.discoveryRequest(this.issuer, this.options({ algorithm: 'oidc' as const }));
      const as = await oauth.processDiscoveryResponse(this.issuer, response);
      this.discovered = { at: Date.now(), as };
      return as;
    } catch (error) {
      throw explain(error);
    }
  }

  /** A fresh state, nonce and PKCE verifier, and the provider URL to send the browser to. */
  async authorizationRequest(redirectUri: string): Promise<AuthorizationRequest> {
    const as = await this.server();
    if (!as.authorization_endpoint) throw new SignInError('server_error', 'Google\'s configuration has no authorization endpoint');
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      // A refresh token too, kept encrypted in google_tokens.
      access_type: 'offline',
    }).toString();
    return { state, nonce, codeVerifier, url: url.toString() };
  }

  /** Checks the callback, exchanges the code and verifies the ID token; a verified email is required. */
  async complete(callback: URLSearchParams, expected: { state: string; nonce: string; codeVerifier: string; redirectUri: string }): Promise<GoogleIdentity> {
    try {
      const as = await this.server();
      const params = oauth.validateAuthResponse(as, this.client, callback, expected.state);
      const { redirectUri, codeVerifier } = expected;
      const response = await oauth.authorizationCodeGrantRequest(as, this.client, this.clientAuth, params, redirectUri, codeVerifier, this.options());
      const result = await oauth.processAuthorizationCodeResponse(as, this.client, response, { expectedNonce: expected.nonce, requireIdToken: true });
      await oauth.validateApplicationLevelSignature(as, response, this.options({ [oauth.jwksCache]: this.jwks }));
      const claims = oauth.getValidatedIdTokenClaims(result);
      if (!claims) throw new SignInError('invalid_id_token', 'Google sent no ID token. Please sign in again.');
      const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
      if (!email) throw new SignInError('email_missing', 'Google did not share an email address, which sign-in needs.');
      if (claims.email_verified !== true && claims.email_verified !== 'true')
        throw new SignInError('email_not_verified', 'Your Google email address is not verified, so it cannot be used to sign in.');
      return {
        sub: claims.sub,
        email,
        name: typeof claims.name === 'string' ? claims.name : null,
        picture: typeof claims.picture === 'string' ? claims.picture : null,
        issuer: claims.iss,
        accessToken: result.access_token,
        refreshToken: typeof result.refresh_token === 'string' ? result.refresh_token : null,
        expiresIn: typeof result.expires_in === 'number' ? result.expires_in : null,
      };
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) {
        const reason = error.error === 'access_denied' ? 'Google sign-in was cancelled.' : `Google did not sign you in (${shown(error.error)}).`;
        throw new SignInError('provider_error', reason, { cause: error });
      }
      throw explain(error);
    }
  }
}
