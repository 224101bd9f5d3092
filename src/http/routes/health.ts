import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';

const readyBody = z.object({ status: z.enum(['ready', 'not_ready']), reason: z.string().optional() });

/** Why the service cannot serve yet, or null when ready (database reachable, schema current). */
export async function notReadyReason(ctx: AppContext): Promise<string | null> {
  let applied: Set<string>;
  try {
    const result = await ctx.pool.query<{ version: string }>(
      `select version from supabase_migrations.schema_migrations`,
    );
    applied = new Set(result.rows.map((row) => row.version));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P01' || code === '3F000')
      return 'database schema is behind: no migrations applied; run wabase db push';
    return `database unreachable: ${(error as Error).message}`;
  }
  const missing = ctx.requiredMigrations.filter((version) => !applied.has(version));
  if (missing.length > 0)
    return `database schema is behind: ${missing.length} migration(s) pending; run wabase db push`;
  return null;
}

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
        const reason = await notReadyReason(ctx);
        if (reason) return reply.status(503).send({ status: 'not_ready' as const, reason });
        return { status: 'ready' as const };
      },
    );
  };
}
