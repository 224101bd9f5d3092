/**
 * The headers helmet puts on every response, for the few answers Fastify sends before any hook
 * runs (a malformed URL): the same protection without helmet's plugin. A test compares them with
 * what helmet sends, so the two cannot drift apart.
 */
export const FALLBACK_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': 'default-src \'none\'; frame-ancestors \'none\'',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
