import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { myWorkspaces, workspaceMembers } from '../../hub/members.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { myWorkspace, workspaceMember } from '../responses/hub.js';
import { bearerSecurity, errorResponses } from '../schemas.js';

/** The caller's workspaces and, for a member, who else is in one (the inbox's assignee picker). */
export function workspaceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const common = { onRequest: authenticator(ctx.jwtKey) };
  const tags = ['workspaces'];
  return async (app) => {
    app.get('/api/workspaces', {
      ...common,
      schema: {
        tags,
        summary: 'Workspaces the caller is a member of, with their role',
        security: bearerSecurity,
        response: { 200: z.object({ workspaces: z.array(myWorkspace) }), ...errorResponses(401, 500, 503) },
      },
    }, async (request) => ({ workspaces: await myWorkspaces(ctx.pool, currentUser(request)) }));

    app.get('/api/workspaces/:id/members', {
      ...common,
      schema: {
        tags,
        summary: 'Members of a workspace with their email and role (members only)',
        security: bearerSecurity,
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ members: z.array(workspaceMember) }), ...errorResponses(400, 401, 404, 500, 503) },
      },
    }, async (request) => ({ members: await workspaceMembers(ctx.pool, currentUser(request), request.params.id) }));
  };
}
