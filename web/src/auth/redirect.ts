/**
 * A post-sign-in target: only a page of this app (never another origin: `/.//evil.com` parses
 * to the path `//evil.com`, which a browser reads as another host), default `/`.
 */
export function safeRedirect(value: string | undefined): string {
  if (!value || !value.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(value, window.location.origin);
  } catch {
    return '/';
  }
  if (url.origin !== window.location.origin || url.pathname.startsWith('//') || url.pathname.includes('\\')) return '/';
  if (url.pathname.startsWith('/sign-in') || url.pathname.startsWith('/setup')) return '/';
  return `${url.pathname}${url.search}`;
}
