import type { FastifyInstance, RouteOptions } from 'fastify';

/** One route of the app: method and URL pattern as registered (`/api/ops/workspaces/:id`). */
export interface RouteEntry {
  method: string;
  url: string;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Starts recording every route `app` registers from now on (call it before any route), so the
 * app can be asked for its whole surface, e.g. by the tests that walk every route.
 */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) table.push({ method, url: route.url });
  });
}

/** Every route recorded for `app` (HEAD twins of GET routes included), in registration order. */
export function routesOf(app: FastifyInstance): RouteEntry[] {
  return [...(tables.get(app) ?? [])];
}
