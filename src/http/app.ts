import { randomUUID } from 'node:crypto';
import path from 'node:path';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './context.js';
import { liveStreams } from './live-streams.js';
import { frameworkErrorHandler, registerErrorHandling } from './plugins/errors.js';
import { RedactingLogController } from './request-log.js';
import { recordRoutes } from './route-list.js';
import { registerOpenApi } from './plugins/openapi.js';
import { authRoutes } from './routes/auth.js';
import { connectionRoutes } from './routes/connections.js';
import { healthRoutes } from './routes/health.js';
import { hubEventRoutes } from './routes/hub-events.js';
import { hubRoutes } from './routes/hub.js';
import { hubMediaRoutes } from './routes/hub-media.js';
import { hubCloudRoutes } from './routes/hub-cloud.js';
import { opsPricingRoutes } from './routes/ops-pricing.js';
import { meRoutes } from './routes/me.js';
import { monitorRoutes } from './routes/monitor.js';
import { monitorBlocklistRoutes } from './routes/monitor-blocklists.js';
import { monitorEventRoutes } from './routes/monitor-events.js';
import { opsRoutes } from './routes/ops.js';
import { setupRoutes } from './routes/setup.js';
import { signupRoutes } from './routes/signup.js';
import { storageRoutes } from './routes/storage.js';
import { webhookRoutes } from './routes/webhooks.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { contentSecurityPolicy } from './web/csp.js';
import { registerWebApp, type WebApp } from './web/static.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** TRUST_PROXY=<n>: believe the n proxies nearest to us. */
const hops = (count: number) => (_address: string, hop: number) => hop < count;

/**
 * Builds the HTTP app without listening, so tests drive it with `inject()`.
 * The caller owns the pool and closes it after `app.close()`.
 */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // Meta batches up to 3 MB; nothing else we accept is larger.
    bodyLimit: 3 * 1024 * 1024,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (default: none).
    trustProxy: typeof ctx.config.trustProxy === 'number' ? hops(ctx.config.trustProxy) : ctx.config.trustProxy,
    // A client must send its whole request (body included) within this time: 408 after. Node
    // looks for overdue requests every connectionsCheckingInterval (30 s unless told).
    requestTimeout: ctx.config.requestTimeoutMs,
    http: {
      requestTimeout: ctx.config.requestTimeoutMs,
      headersTimeout: Math.min(60_000, ctx.config.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(1000, ctx.config.requestTimeoutMs),
    },
    // Entitlement keys may be 120 characters; nothing longer belongs in a path segment.
    routerOptions: { maxParamLength: 200 },
    logController: new RedactingLogController(),
    // A malformed URL is answered before any hook: in the one error shape, with the same headers.
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  recordRoutes(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  let webApp: WebApp | null = null;
  registerErrorHandling(app, (request, reply) => webApp?.serveClientRoute(request, reply) ?? false);

  await app.register(helmet, { global: true, contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(ctx.config) } });
  await app.register(cors, { origin: ctx.config.corsOrigins.length > 0 ? ctx.config.corsOrigins : false });
  await registerOpenApi(app);
  // After helmet, so the app's files get its headers too.
  webApp = await registerWebApp(app, ctx.webRoot ?? path.resolve('web', 'dist'));

  await app.register(healthRoutes(ctx));
  await app.register(meRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(setupRoutes(ctx));
  await app.register(opsRoutes(ctx));
  await app.register(webhookRoutes(ctx));
  await app.register(hubRoutes(ctx));
  await app.register(hubMediaRoutes(ctx));
  await app.register(hubCloudRoutes(ctx));
  await app.register(opsPricingRoutes(ctx));
  // One LISTEN connection serves the inbox's and the monitor's streams.
  const live = liveStreams(app, ctx);
  await app.register(hubEventRoutes(ctx, live));
  await app.register(workspaceRoutes(ctx));
  await app.register(connectionRoutes(ctx));
  await app.register(signupRoutes(ctx));
  await app.register(storageRoutes(ctx));
  await app.register(monitorRoutes(ctx));
  await app.register(monitorBlocklistRoutes(ctx));
  await app.register(monitorEventRoutes(ctx, live));
  return app;
}
