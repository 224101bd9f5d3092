import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireMonitorAccess } from '../../monitor/access.js';
import { listActivity } from '../../monitor/activity.js';
import { FLAGS, requestFlag } from '../../monitor/flags.js';
import { listGroups, renameHistory, setMonitored } from '../../monitor/groups.js';
import { listMessages } from '../../monitor/messages.js';
import { monitorQr, monitorStatus } from '../../monitor/status.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { activityEntry, archivedMessage, auditKind, flagAnswer, group, groupRename, messageKind, monitorQrBody, monitorStatusBody } from '../responses/monitor.js';
import { bearerSecurity, errorResponses, integer } from '../schemas.js';

/** Every monitor route: no token (401), not an owner or admin (403), the database failing or busy (500, 503). */
const errors = errorResponses(401, 403, 500, 503);
/** Routes that take input: a bad query, path or body (400). */
const inputErrors = errorResponses(400);
/** POSTs: an oversized or non-JSON body (413, 415). */
const bodyErrors = errorResponses(400, 413, 415);
const limit = z.coerce.number().int().min(1, 'limit must be 1 to 200').max(200, 'limit must be 1 to 200').default(50);
const bool = z.enum(['true', 'false']).transform((value) => value === 'true');

/** Group monitor API: owners and platform admins only (viewers read). */
export function monitorRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const access = (request: FastifyRequest, mode: 'read' | 'write') =>
    requireMonitorAccess(ctx.pool, ctx.config.opsAdminEmails, currentUser(request), mode);
  // onRequest: the caller is checked before the body is read or validated.
  const common = { onRequest: authenticator(ctx.jwtKey) };
  const tags = ['monitor'];
  const security = bearerSecurity;

  return async (app) => {
    app.get('/api/messages', {
      ...common,
      schema: {
        tags, security,
        summary: 'Archived group messages, newest first, with their media and signed URLs',
        querystring: z.object({
          groupId: z.uuid({ message: 'groupId must be a group id (uuid)' }).optional(),
          kind: messageKind.optional(),
          q: z.string().trim().min(1).max(200, 'q must be at most 200 characters').optional(),
          before: z.string().max(100).optional(),
          limit,
        }),
        response: { 200: z.object({ items: z.array(archivedMessage), nextBefore: z.string().nullable() }), ...errors, ...inputErrors, ...errorResponses(404) },
      },
    }, async (request) => {
      await access(request, 'read');
      return listMessages(ctx.pool, ctx.mediaStore, ctx.config.monitor.signedUrlTtlSeconds, request.query);
    });

    app.get('/api/monitor/status', {
      ...common,
      schema: {
        tags, security, summary: 'Session status, pending worker requests and group counts',
        response: { 200: monitorStatusBody, ...errors },
      },
    }, async (request) => {
      const { canManage } = await access(request, 'read');
      return { ...(await monitorStatus(ctx.pool)), canManage };
    });

    app.get('/api/monitor/qr', {
      ...common,
      schema: { tags, security, summary: 'The QR to scan while connecting, and when it expires (owner, ops and platform admins; not viewers)', response: { 200: monitorQrBody, ...errors } },
    }, async (request) => {
      // The QR is a credential: whoever scans it decides which account is archived. Only those who may link read it.
      await access(request, 'write');
      return monitorQr(ctx.pool);
    });

    const actions = [
      ['/api/monitor/wa/refresh-qr', FLAGS.refreshQr, 'Ask the worker for a new QR (connects if disconnected)'],
      ['/api/monitor/wa/disconnect', FLAGS.disconnect, 'Ask the worker to log out and forget the session'],
      ['/api/monitor/fetch-groups-now', FLAGS.fetchGroups, 'Ask the worker to discover groups now (runs once connected)'],
    ] as const;
    for (const [url, key, summary] of actions) {
      app.post(url, {
        ...common,
        schema: { tags, security, summary, response: { 202: flagAnswer, ...errors, ...bodyErrors, ...errorResponses(429) } },
      }, async (request, reply) => {
        await access(request, 'write');
        return reply.status(202).send(await requestFlag(ctx.pool, key, ctx.config.monitor.flagIntervalSeconds));
      });
    }

    app.get('/api/monitor/groups', {
      ...common,
      schema: {
        tags, security, summary: 'Discovered groups by name, with paging',
        querystring: z.object({
          q: z.string().trim().min(1).max(200).optional(),
          monitor: bool.optional(),
          blocked: bool.optional(),
          limit,
          offset: z.coerce.number().int().min(0, 'offset must be 0 or more').max(1_000_000).default(0),
        }),
        response: { 200: z.object({ items: z.array(group), total: integer }), ...errors, ...inputErrors },
      },
    }, async (request) => {
      await access(request, 'read');
      return listGroups(ctx.pool, request.query);
    });

    app.post('/api/monitor/groups/:id/toggle', {
      ...common,
      schema: {
        tags, security, summary: 'Turn monitoring of a group on or off (the only writer of monitor)',
        params: z.object({ id: z.uuid({ message: 'id must be a group id (uuid)' }) }),
        body: z.object({ monitor: z.boolean({ message: 'monitor must be true or false' }) }),
        response: { 200: group, ...errors, ...bodyErrors, ...errorResponses(404) },
      },
    }, async (request) => {
      await access(request, 'write');
      return setMonitored(ctx.pool, request.params.id, request.body.monitor);
    });

    app.get('/api/monitor/groups/:id/renames', {
      ...common,
      schema: {
        tags, security, summary: 'A group\'s rename history (from its group_rename audit rows), newest first',
        params: z.object({ id: z.uuid({ message: 'id must be a group id (uuid)' }) }),
        response: { 200: z.object({ items: z.array(groupRename) }), ...errors, ...inputErrors, ...errorResponses(404) },
      },
    }, async (request) => {
      await access(request, 'read');
      return renameHistory(ctx.pool, request.params.id);
    });

    app.get('/api/monitor/activity', {
      ...common,
      schema: {
        tags, security, summary: 'The monitor audit log, newest first',
        querystring: z.object({ kind: auditKind.optional(), before: z.string().max(100).optional(), limit }),
        response: { 200: z.object({ items: z.array(activityEntry), nextBefore: z.string().nullable() }), ...errors, ...inputErrors },
      },
    }, async (request) => {
      await access(request, 'read');
      return listActivity(ctx.pool, request.query);
    });
  };
}
