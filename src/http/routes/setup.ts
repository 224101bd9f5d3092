import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkFirstRun, completeFirstRun } from '../../auth/first-run.js';
import { MIN_PASSWORD_LENGTH } from '../../auth/gotrue-errors.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../schemas.js';

const token = z.string().min(1, 'the token from the setup link is required').max(200);
const tags = ['setup'];

/** The first-run link `npm start` prints: check it, then set the first platform admin's password. */
export function setupRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/setup/first-run/check', {
      schema: {
        tags,
        summary: 'Whether a first-run setup link is still valid',
        body: z.object({ token }),
        response: { 200: z.object({ valid: z.literal(true), expiresAt: z.string() }), 400: errorBody, 404: errorBody },
      },
    }, async (request) => {
      const expiresAt = await checkFirstRun(ctx.pool, request.body.token);
      return { valid: true as const, expiresAt: expiresAt.toISOString() };
    });

    app.post('/api/setup/first-run', {
      schema: {
        tags,
        summary: 'Use the first-run link: create the first platform admin with a password',
        body: z.object({
          token,
          email: z.string().trim().toLowerCase().pipe(z.email({ message: 'expected an email address' })),
          password: z.string().min(MIN_PASSWORD_LENGTH, `Password should be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
        }),
        response: { 201: z.object({ userId: z.string(), email: z.string() }), 400: errorBody, 404: errorBody },
      },
    }, async (request, reply) => {
      const result = await completeFirstRun(ctx.pool, ctx.config, request.body);
      return reply.status(201).send({ userId: result.userId, email: result.email });
    });
  };
}
