/**
 * testApp's part of the secret registry: every credential a test sends to the app, and every one
 * the app hands back (login tokens, OAuth redirects, signed media URLs), is registered for the
 * final log grep, whoever minted it. The lists here are the test's own, not the server's
 * redaction list, so a name dropped from that list is still looked for.
 */
import type { FastifyInstance } from 'fastify';
import { registerSecret } from './secrets.js';

/** Query and fragment parameters that carry a credential. */
const URL_NAMES = [
  'token', 'hub\\.verify_token', 'access_token', 'refresh_token', 'provider_token', 'provider_refresh_token', 'id_token',
  'code', 'state', 'code_verifier', 'apikey', 'X-Amz-Signature', 'X-Amz-Credential',
];
const URL_PARAMS = new RegExp(`[?&#](${URL_NAMES.join('|')})=([^&#"'\\s\\\\]+)`, 'gi');
/** JSON fields of a request body that carry a credential (setup tokens, refresh tokens, passwords, OAuth codes). */
const REQUEST_FIELDS = new Set(['token', 'refresh_token', 'access_token', 'id_token', 'code', 'code_verifier', 'password', 'nonce']);
/** JSON fields of a response that hand out a credential. */
const RESPONSE_FIELDS = /"(access_token|refresh_token|provider_token|provider_refresh_token|id_token)"\s*:\s*"([^"]+)"/g;
/** A credential in a URL is random text; shorter values there are a test's placeholders ("bad", "x"). */
const URL_VALUE_MIN = 8;

function decoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Registers the credentials in any URLs inside `text` (a request URL, a Location header, a JSON body holding signed URLs). */
export function registerUrlCredentials(text: string, origin: string): void {
  for (const match of text.matchAll(URL_PARAMS)) {
    const raw = match[2]!;
    if (raw.length < URL_VALUE_MIN) continue;
    registerSecret(raw, `${match[1]} (${origin})`);
    registerSecret(decoded(raw), `${match[1]} (${origin})`);
  }
}

function registerFields(value: unknown, origin: string, depth = 0): void {
  // Bytes (an uploaded file) hold no fields: Object.entries over a 5 MB Buffer takes seconds.
  if (depth > 4 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string' && REQUEST_FIELDS.has(key)) registerSecret(child, `${key} (${origin})`);
    else registerFields(child, origin, depth + 1);
  }
}

/** Cookie values (an OAuth flow's browser binding); `a=b; c=d` or one `name=value`. */
function registerCookies(header: string | undefined, origin: string): void {
  for (const part of (header ?? '').split(';')) {
    const value = part.slice(part.indexOf('=') + 1).trim();
    if (part.includes('=') && value.length >= URL_VALUE_MIN) registerSecret(value, origin);
  }
}

/** Adds the hooks; root hooks run before any route's own, so a request refused at 401 is seen too. */
export function watchCredentials(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (bearer) registerSecret(bearer[1], 'bearer token (request)');
    const apikey = request.headers.apikey;
    if (typeof apikey === 'string') registerSecret(apikey, 'apikey header (request)');
    registerUrlCredentials(request.url, 'request URL');
    registerCookies(request.headers.cookie, 'cookie (request)');
  });
  app.addHook('preHandler', async (request) => {
    registerFields(request.body, 'request body');
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    const location = reply.getHeader('location');
    if (typeof location === 'string') registerUrlCredentials(location, 'Location header');
    const cookies = reply.getHeader('set-cookie');
    for (const cookie of Array.isArray(cookies) ? cookies : [cookies]) registerCookies(typeof cookie === 'string' ? cookie.split(';')[0] : undefined, 'set-cookie (response)');
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) && payload.length < 1_000_000 ? payload.toString('utf8') : null;
    if (text && /json|html|text/.test(String(reply.getHeader('content-type') ?? ''))) {
      for (const match of text.matchAll(RESPONSE_FIELDS)) registerSecret(match[2], `${match[1]} (response)`);
      registerUrlCredentials(text, 'response body');
    }
    return payload;
  });
}
