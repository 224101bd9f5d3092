import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withUser } from '../../db/with-user.js';
import { ForbiddenError } from '../../errors.js';
import { requireMonitorAccess } from '../../monitor/access.js';
import { requirePlatformAdmin } from '../../ops/admins.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { bearerSecurity, errorResponses, id } from '../schemas.js';

/**
 * `GET /api/me`: who the database thinks the caller is, under RLS (role and `auth.uid()`), and
 * whether the ops console lets them in (the same check its routes make).
 */
export function meRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/me',
      {
        onRequest: authenticator(ctx.jwtKey),
        schema: {
          tags: ['auth'],
          summary: 'The caller as the database sees it, and whether they are a platform admin',
          security: bearerSecurity,
          response: {
            200: z.object({ userId: id, email: z.string().nullable(), dbRole: z.string(), platformAdmin: z.boolean(), monitor: z.enum(['manage', 'read']).nullable().describe('What the group monitor lets the caller do (null: not at all)') }),
            ...errorResponses(401, 500, 503),
          },
        },
      },
      async (request) => {
        const user = currentUser(request);
        const row = await withUser(ctx.pool, user, async (client) => {
          const result = await client.query<{ uid: string; email: string | null; role: string }>(
            'select auth.uid()::text as uid, auth.email() as email, current_user as role',
          );
          return result.rows[0]!;
        });
        const platformAdmin = await requirePlatformAdmin(ctx.pool, ctx.config.opsAdminEmails, user).then(
          () => true,
          (error: unknown) => {
            if (error instanceof ForbiddenError) return false;
            throw error;
          },
        );
        const monitor = await requireMonitorAccess(ctx.pool, ctx.config.opsAdminEmails, user, 'read').then(
          ({ canManage }) => (canManage ? 'manage' as const : 'read' as const),
          (error: unknown) => {
            if (error instanceof ForbiddenError) return null;
            throw error;
          },
        );
        return { userId: row.uid, email: row.email, dbRole: row.role, platformAdmin, monitor };
      },
    );
  };
}
