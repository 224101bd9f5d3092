import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withUser } from '../../db/with-user.js';
import { memberRole } from '../../hub/membership.js';
import { ForbiddenError } from '../../errors.js';
import { hubChannel } from '../../hub/realtime/hub-events.js';
import type { AppContext } from '../context.js';
import type { LiveStreams } from '../live-streams.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { bearerSecurity, errorResponses } from '../schemas.js';

/**
 * `GET /api/meta/whatsapp/events`: the inbox's realtime stream. Membership is checked once, when
 * the stream opens; the bus hands each stream the events of its own workspace only.
 */
export function hubEventRoutes(ctx: AppContext, live: LiveStreams): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/meta/whatsapp/events', {
      onRequest: authenticator(ctx.jwtKey),
      schema: {
        tags: ['meta hub'],
        summary: 'Server-Sent Events for one workspace: thread.updated, message.created, message.status; `ready` with the delivery mode; `: ping` heartbeats',
        description: 'Read with fetch (it needs the Authorization header). The stream ends when the access token expires (`event: expired`): reconnect with a fresh token and re-read.',
        security: bearerSecurity,
        querystring: z.object({ workspaceId: z.uuid() }),
        response: {
          200: z.string().describe('text/event-stream'),
          ...errorResponses(400, 401, 403, 500, 503),
        },
      },
    }, async (request, reply) => {
      const { workspaceId } = request.query;
      const role = await withUser(ctx.pool, currentUser(request), (client) => memberRole(client, workspaceId));
      if (!role) throw new ForbiddenError('not_a_member', 'You are not a member of this workspace');
      live.serve(request, reply, hubChannel, workspaceId);
    });
  };
}
