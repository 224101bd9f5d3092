import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { schemaNotReadyReason } from '../../migrate/status.js';
import type { AppContext } from '../context.js';

const readyBody = z.object({ status: z.enum(['ready', 'not_ready']), reason: z.string().optional() });

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['health'],
          summary: 'Liveness',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'Readiness: database reachable and schema current',
          response: { 200: readyBody, 503: readyBody },
        },
      },
      async (_request, reply) => {
        const reason = await schemaNotReadyReason(ctx.pool, ctx.requiredMigrations);
        if (reason) return reply.status(503).send({ status: 'not_ready' as const, reason });
        return { status: 'ready' as const };
      },
    );
  };
}
