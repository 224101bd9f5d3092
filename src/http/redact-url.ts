/**
 * Query parameters that carry credentials: signed media URLs (`token`, S3's `X-Amz-*`), the webhook
 * handshake (`hub.verify_token`), OAuth (`code`, `state`, tokens), API keys. Compared lower-cased.
 */
const SECRET_PARAMS = new Set([
  'token', 'hub.verify_token', 'access_token', 'refresh_token', 'id_token', 'provider_token', 'code', 'state', 'nonce',
  'code_verifier', 'client_secret', 'apikey', 'api_key', 'key', 'password', 'secret', 'signature', 'sig',
  'x-amz-signature', 'x-amz-credential', 'x-amz-security-token',
]);

function decoded(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

/** A request URL fit for a log line: the value of every credential-carrying query parameter is replaced. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const pairs = url.slice(query + 1).split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    return SECRET_PARAMS.has(decoded(name)) ? `${name}=[redacted]` : pair;
  });
  return `${url.slice(0, query)}?${pairs.join('&')}`;
}
