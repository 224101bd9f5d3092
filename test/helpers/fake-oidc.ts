import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { after } from 'node:test';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { registerSecret } from './secrets.js';

export interface FakeProfile {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  picture?: string;
}

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string;
  profile: FakeProfile;
  used: boolean;
}

/**
 * An OpenID provider on loopback, shaped like Google's: discovery document, JWKS (RS256 key made
 * here), an authorization endpoint that redirects straight back with a code (or an error), and a
 * token endpoint that checks the client secret, the redirect URI, the PKCE verifier and that a
 * code is used once. Tests set the next profile, tamper with the ID token, or refuse.
 */
export class FakeOidc {
  readonly clientId = 'fake-client-id.apps.example';
  readonly clientSecret = 'fake-client-secret';
  issuer = '';
  profile: FakeProfile = { sub: '1000001', email: 'gail@gmail.example', email_verified: true, name: 'Gail Google', picture: 'https://img.example/gail.png' };
  /** Changes the ID token's claims before signing. */
  tamper: (claims: JWTPayload) => JWTPayload = (claims) => claims;
  /** Signs with a key that is not in the JWKS. */
  signWithForeignKey = false;
  /** The authorization endpoint answers with this error instead of a code. */
  authorizeError: string | null = null;
  /** Whether the token endpoint returns a refresh token. */
  issueRefreshToken = true;
  /** Why the token endpoint last refused, for assertions. */
  lastTokenError: string | null = null;
  /** Tokens handed out, newest last (what google_tokens must hold, encrypted). */
  readonly issued: { accessToken: string; refreshToken: string | null }[] = [];
  readonly authorizeRequests: URLSearchParams[] = [];
  private readonly codes = new Map<string, IssuedCode>();
  private server: http.Server | null = null;
  private keys: { kid: string; privateKey: SigningKey; jwk: Record<string, unknown> } | null = null;
  private foreign: SigningKey | null = null;

  async start(): Promise<this> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    this.keys = { kid: 'fake-key-1', privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'fake-key-1', alg: 'RS256', use: 'sig' } };
    this.foreign = (await generateKeyPair('RS256')).privateKey;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    after(() => this.server?.close());
    return this;
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return this.json(res, 200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/o/oauth2/v2/auth`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/oauth2/v3/certs`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      });
    }
    if (url.pathname === '/oauth2/v3/certs') return this.json(res, 200, { keys: [this.keys!.jwk] });
    if (url.pathname === '/o/oauth2/v2/auth') return this.authorize(url.searchParams, res);
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      return this.token(new URLSearchParams(body), res);
    }
    res.writeHead(404).end();
  }

  private authorize(params: URLSearchParams, res: http.ServerResponse): void {
    this.authorizeRequests.push(params);
    const back = new URL(params.get('redirect_uri') ?? '');
    back.searchParams.set('state', params.get('state') ?? '');
    if (this.authorizeError) {
      back.searchParams.set('error', this.authorizeError);
    } else {
      const code = randomBytes(16).toString('base64url');
      registerSecret(code, 'OAuth code (fake Google)');
      registerSecret(params.get('state'), 'OAuth state (fake Google)');
      this.codes.set(code, {
        clientId: params.get('client_id') ?? '',
        redirectUri: params.get('redirect_uri') ?? '',
        codeChallenge: params.get('code_challenge') ?? '',
        nonce: params.get('nonce') ?? '',
        profile: { ...this.profile },
        used: false,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  private async token(params: URLSearchParams, res: http.ServerResponse): Promise<void> {
    const refuse = (reason: string) => {
      this.lastTokenError = reason;
      this.json(res, 400, { error: 'invalid_grant', error_description: reason });
    };
    if (params.get('client_id') !== this.clientId || params.get('client_secret') !== this.clientSecret) {
      this.lastTokenError = 'bad_client';
      return this.json(res, 401, { error: 'invalid_client' });
    }
    const issued = this.codes.get(params.get('code') ?? '');
    if (!issued) return refuse('unknown_code');
    if (issued.used) return refuse('code_reused');
    issued.used = true;
    if (issued.redirectUri !== params.get('redirect_uri')) return refuse('redirect_uri_mismatch');
    const challenge = createHash('sha256').update(params.get('code_verifier') ?? '').digest('base64url');
    if (challenge !== issued.codeChallenge) return refuse('pkce_mismatch');
    const now = Math.floor(Date.now() / 1000);
    const claims = this.tamper({ ...issued.profile, iss: this.issuer, aud: issued.clientId, nonce: issued.nonce, iat: now, exp: now + 3600 });
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.keys!.kid, typ: 'JWT' })
      .sign(this.signWithForeignKey ? this.foreign! : this.keys!.privateKey);
    const accessToken = `ya29.fake-${randomBytes(12).toString('base64url')}`;
    const refreshToken = this.issueRefreshToken ? `1//fake-refresh-${randomBytes(12).toString('base64url')}` : null;
    this.issued.push({ accessToken, refreshToken });
    for (const [value, kind] of [[accessToken, 'access'], [refreshToken, 'refresh'], [idToken, 'id']] as const) registerSecret(value, `Google ${kind} token (fake Google)`);
    this.lastTokenError = null;
    this.json(res, 200, {
      access_token: accessToken,
      expires_in: 3599,
      token_type: 'Bearer',
      scope: 'openid email profile',
      id_token: idToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    });
  }
}
