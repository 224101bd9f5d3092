import type { FastifyInstance } from 'fastify';
import { buildApp } from '../http/app.js';
import type { Runtime } from './boot.js';

/** Builds the app and listens on HOST:PORT; returns the app and the URL to open. */
export async function listen(runtime: Runtime): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp(runtime.context);
  const { host, port: preferred, portExplicit } = runtime.config;
  // With the default port taken (say, by another wabase), take the next free one and say so;
  // an explicit PORT is a promise we keep or fail on.
  for (let port = preferred; ; port++) {
    try {
      await app.listen({ host, port });
      if (port !== preferred) runtime.logger.warn(`port ${preferred} is taken; listening on ${port}`);
      break;
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!inUse || portExplicit || port >= preferred + 20) throw error;
    }
  }
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : preferred;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { app, url: `http://${shown}:${bound}` };
}
