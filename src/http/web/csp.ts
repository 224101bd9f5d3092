import type { Config } from '../../config.js';

/** The origin of a URL, or null for a value that is not one. */
function originOf(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/** Where signed media URLs point: the browser loads images and video from there. */
function mediaOrigins(config: Config): string[] {
  const { storage } = config;
  if (storage.driver === 'supabase') return [originOf(storage.supabase?.url)].filter((o): o is string => o !== null);
  if (storage.driver === 's3') {
    if (storage.s3.endpoint) {
      const endpoint = new URL(storage.s3.endpoint);
      // Virtual-hosted addressing puts the bucket in front of the endpoint's host.
      return storage.s3.forcePathStyle ? [endpoint.origin] : [endpoint.origin, `${endpoint.protocol}//${storage.s3.bucket}.${endpoint.host}`];
    }
    return [`https://${storage.s3.bucket}.s3.${storage.s3.region}.amazonaws.com`, `https://s3.${storage.s3.region}.amazonaws.com`];
  }
  return [originOf(storage.publicBaseUrl)].filter((o): o is string => o !== null);
}

/**
 * Meta's JS SDK for Connect with Facebook: its script, the login dialog's frames and the SDK's own
 * calls. Only allowed when Embedded Signup is configured; otherwise no Facebook origin is trusted.
 */
const FACEBOOK_SDK = { script: ['https://connect.facebook.net'], frame: ['https://www.facebook.com', 'https://web.facebook.com', 'https://staticxx.facebook.com'], connect: ['https://graph.facebook.com', 'https://www.facebook.com'] };

/**
 * Helmet's CSP directives for the app: helmet's defaults, plus the media store's origin for
 * images and media, plus Supabase Auth for fetches when the browser signs in there. No
 * `upgrade-insecure-requests`: it would rewrite a plain-HTTP LAN deployment's own assets to https.
 */
export function contentSecurityPolicy(config: Config): Record<string, string[] | null> {
  const media = [...new Set(mediaOrigins(config))];
  const supabaseAuth = originOf(config.auth.supabase?.url);
  const facebook = config.meta.signup ? FACEBOOK_SDK : { script: [], frame: [], connect: [] };
  return {
    'default-src': ['\'self\''],
    'base-uri': ['\'self\''],
    'connect-src': ['\'self\'', ...(supabaseAuth ? [supabaseAuth] : []), ...facebook.connect],
    'font-src': ['\'self\''],
    'form-action': ['\'self\''],
    ...(facebook.frame.length ? { 'frame-src': facebook.frame } : {}),
    'frame-ancestors': ['\'none\''],
    'img-src': ['\'self\'', ...media],
    'media-src': ['\'self\'', ...media],
    'object-src': ['\'none\''],
    'script-src': ['\'self\'', ...facebook.script],
    'script-src-attr': ['\'none\''],
    // Radix positions popovers with inline style attributes and its scroll lock injects a <style>.
    'style-src': ['\'self\'', '\'unsafe-inline\''],
    'upgrade-insecure-requests': null,
  };
}
