import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isServerPath } from './server-paths.js';

/** Vite puts content-hashed files under /assets/: they never change, so they may be cached for good. */
const HASHED = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(\.br|\.gz)?$/;

/** A client route of the SPA: a GET for a page (not a file, not a server path). */
function isClientRoute(request: FastifyRequest, pathname: string): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (isServerPath(pathname)) return false;
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  const accept = request.headers.accept ?? '';
  // `/ops/workspaces/<id>` is a page; `/assets/missing.js` is a file that is not there.
  return !last.includes('.') || accept.includes('text/html');
}

export interface WebApp {
  /** Answers a client route with index.html; false when the request is not one. */
  serveClientRoute(request: FastifyRequest, reply: FastifyReply): boolean;
}

/**
 * Serves the built SPA (`web/dist`) from the API's origin: its files by name, and index.html for
 * `/` and every client route (deep links). Hashed assets are cached immutably, index.html never.
 * Without a build, pages answer 503 saying how to build it; the API is unaffected.
 */
export async function registerWebApp(app: FastifyInstance, root: string): Promise<WebApp> {
  const built = fs.existsSync(path.join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      // The build writes .br and .gz copies; browsers that accept them get those.
      preCompressed: true,
      cacheControl: false,
      setHeaders(res, file) {
        const relative = `/${path.relative(root, file).split(path.sep).join('/')}`;
        res.setHeader('cache-control', HASHED.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  return {
    serveClientRoute(request, reply) {
      const pathname = request.url.split('?')[0] ?? '/';
      if (!isClientRoute(request, pathname)) return false;
      reply.header('cache-control', 'no-cache');
      if (!built) {
        void reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The wabase web app is not built: run npm run build (npm install does it), then reload.');
        return true;
      }
      void reply.type('text/html; charset=utf-8').sendFile('index.html');
      return true;
    },
  };
}
