import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePlatformAdmin } from '../../ops/admins.js';
import { pricingDaily } from '../../ops/pricing.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { bearerSecurity, errorResponses, id, integer } from '../schemas.js';

const day = z.iso.date('expected a date as YYYY-MM-DD');
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** The ops console's pricing view: messages per category per workspace per day (platform admins). */
export function opsPricingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/ops/pricing/daily', {
      onRequest: authenticator(ctx.jwtKey),
      schema: {
        tags: ['ops'],
        summary: 'Messages per pricing category per workspace per day (UTC), from Meta\'s status webhooks\' pricing objects; default the last 30 days',
        security: bearerSecurity,
        querystring: z.object({ from: day.optional(), to: day.optional(), workspaceId: z.uuid().optional() })
          .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            rows: z.array(z.object({
              workspaceId: id, workspaceSlug: z.string(), day: z.string(), category: z.string(), pricingType: z.string().nullable(),
              billable: integer, messages: integer,
            })),
          }),
          ...errorResponses(400, 401, 403, 500, 503),
        },
      },
    }, async (request) => {
      await requirePlatformAdmin(ctx.pool, ctx.config.opsAdminEmails, currentUser(request));
      const from = request.query.from ?? daysAgo(29);
      const to = request.query.to ?? today();
      return { from, to, rows: await pricingDaily(ctx.pool, { from, to, workspaceId: request.query.workspaceId }) };
    });
  };
}
