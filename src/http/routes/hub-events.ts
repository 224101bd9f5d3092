import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withUser } from '../../db/with-user.js';
import { memberRole } from '../../hub/membership.js';
import { ForbiddenError } from '../../errors.js';
import { HubEventBus } from '../../hub/realtime/hub-events.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { bearerSecurity, errorResponses } from '../schemas.js';
import { openSse, type SseStream } from '../sse.js';

/** How often a page re-reads while the server cannot LISTEN (sent to the page in `ready`). */
const POLL_MS = 3000;

/**
 * `GET /api/meta/whatsapp/events`: the inbox's realtime stream. Membership is checked once, when
 * the stream opens; the bus hands each stream the events of its own workspace only.
 */
export function hubEventRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const bus = new HubEventBus({ pool: ctx.servicePool ?? ctx.pool, logger: ctx.logger });
    const streams = new Set<SseStream>();
    // Open streams would hold app.close() (and Ctrl-C) until every browser leaves.
    app.addHook('preClose', async () => {
      for (const stream of streams) stream.close();
    });
    app.addHook('onClose', async () => bus.stop());

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
      const user = currentUser(request);
      const { workspaceId } = request.query;
      const role = await withUser(ctx.pool, user, (client) => memberRole(client, workspaceId));
      if (!role) throw new ForbiddenError('not_a_member', 'You are not a member of this workspace');
      const stream = openSse(request, reply, {
        heartbeatMs: ctx.config.sseHeartbeatMs,
        ...(user.exp ? { closeAt: new Date(user.exp * 1000) } : {}),
      });
      streams.add(stream);
      const ready = (mode: string) => stream.send('ready', { mode, ...(mode === 'listen' ? {} : { pollMs: POLL_MS }) });
      const unsubscribe = bus.subscribe(workspaceId, {
        event: (event) => stream.send(event.kind, event),
        mode: ready,
      });
      stream.onClose(() => {
        unsubscribe();
        streams.delete(stream);
      });
      ready(bus.mode);
    });
  };
}
