/**
 * The paths the API server answers itself (JSON, files it signs, its docs); everything else that
 * is a page belongs to the web app. The Vite dev server proxies exactly these.
 */
export const SERVER_PATHS = ['/api', '/auth', '/storage', '/docs', '/healthz', '/readyz'] as const;

/** True for a path the server answers itself: one of SERVER_PATHS, or below one. */
export function isServerPath(pathname: string): boolean {
  return SERVER_PATHS.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}
