import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireMonitorAccess } from '../../monitor/access.js';
import { MANAGER_ONLY_KINDS, MONITOR_TOPIC, monitorChannel } from '../../monitor/realtime/monitor-events.js';
import type { AppContext } from '../context.js';
import type { LiveStreams } from '../live-streams.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { bearerSecurity, errorResponses } from '../schemas.js';

/**
 * `GET /api/monitor/events`: the monitor's realtime stream, for everyone who may read the monitor.
 * Access is checked when the stream opens; `qr.updated` (never the QR itself, only that it
 * changed) goes only to those who may link a phone: a viewer's stream never mentions a QR.
 */
export function monitorEventRoutes(ctx: AppContext, live: LiveStreams): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/monitor/events', {
      onRequest: authenticator(ctx.jwtKey),
      schema: {
        tags: ['monitor'],
        summary: 'Server-Sent Events of the group monitor: session.updated, qr.updated (owners, ops, platform admins), groups.discovered, groups.updated, message.archived, blocklist.updated, activity.created; `ready` with the delivery mode; `: ping` heartbeats',
        description: 'Read with fetch (it needs the Authorization header). Events carry their kind only: re-read what they name. The stream ends when the access token expires (`event: expired`): reconnect with a fresh token and re-read.',
        security: bearerSecurity,
        response: {
          200: z.string().describe('text/event-stream'),
          ...errorResponses(401, 403, 500, 503),
        },
      },
    }, async (request, reply) => {
      const { canManage } = await requireMonitorAccess(ctx.pool, ctx.config.opsAdminEmails, currentUser(request), 'read');
      live.serve(request, reply, monitorChannel, MONITOR_TOPIC, canManage ? undefined : (event) => !MANAGER_ONLY_KINDS.has(event.kind));
    });
  };
}
