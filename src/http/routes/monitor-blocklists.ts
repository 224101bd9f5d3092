import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireMonitorAccess } from '../../monitor/access.js';
import { addBlocked, listBlocked, removeBlocked } from '../../monitor/blocklists/blocklists.js';
import { BLOCKLIST_KINDS } from '../../monitor/blocklists/values.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { bearerSecurity, errorResponses, timestamp } from '../schemas.js';

const entry = z.object({ value: z.string(), reason: z.string().nullable(), createdAt: timestamp });
const errors = errorResponses(401, 403, 500, 503);

/**
 * Seed 001's blocklists (`block_groups`, `block_senders`, `block_keywords`): list (owners, ops,
 * viewers and platform admins), add and remove (not viewers), each change audited in
 * owner_audit_log. The caller is checked before the body is validated, so a viewer gets 403
 * whatever they send.
 */
export function monitorBlocklistRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const gate = (mode: 'read' | 'write') => async (request: FastifyRequest) => {
    await requireMonitorAccess(ctx.pool, ctx.config.opsAdminEmails, currentUser(request), mode);
  };
  const tags = ['monitor'];
  const security = bearerSecurity;
  const actor = (request: FastifyRequest) => {
    const user = currentUser(request);
    return { userId: user.sub, email: typeof user.email === 'string' ? user.email : null };
  };

  return async (app) => {
    for (const kind of BLOCKLIST_KINDS) {
      const url = `/api/monitor/blocklists/${kind}`;
      app.get(url, {
        onRequest: [authenticator(ctx.jwtKey), gate('read')],
        schema: { tags, security, summary: `The ${kind} blocklist, newest first`, response: { 200: z.object({ items: z.array(entry) }), ...errors } },
      }, async () => listBlocked(ctx.pool, kind));

      app.post(url, {
        onRequest: [authenticator(ctx.jwtKey), gate('write')],
        schema: {
          tags, security,
          summary: `Add to the ${kind} blocklist; ingest drops matching messages from then on`,
          description: kind === 'senders'
            ? 'value: a phone number (digits, optionally with + and spaces; stored as digits) or a WhatsApp id (`…@s.whatsapp.net` is stored as its number, `…@lid` as is). Matched against the sender as WhatsApp sent it, its phone jid, and the lid ↔ phone mapping.'
            : kind === 'groups' ? 'value: the WhatsApp group id (`120363…@g.us`).' : 'value: matched case-insensitively inside message text (stored lower-case).',
          body: z.object({
            value: z.string({ message: 'value is required' }).trim().min(1, 'value is required').max(200, 'value must be at most 200 characters'),
            reason: z.string({ message: 'reason must be text' }).max(500, 'reason must be at most 500 characters').nullish(),
          }),
          response: { 201: entry, ...errors, ...errorResponses(400, 409, 413, 415) },
        },
      }, async (request, reply) => reply.status(201).send(await addBlocked(ctx.pool, actor(request), kind, request.body.value, request.body.reason)));

      app.delete(`${url}/:value`, {
        onRequest: [authenticator(ctx.jwtKey), gate('write')],
        schema: {
          tags, security, summary: `Remove a value from the ${kind} blocklist`,
          params: z.object({ value: z.string().min(1, 'value is required').max(200, 'value must be at most 200 characters') }),
          response: { 200: z.object({ removed: z.literal(true) }), ...errors, ...errorResponses(400, 404) },
        },
      }, async (request) => {
        await removeBlocked(ctx.pool, actor(request), kind, request.params.value);
        return { removed: true as const };
      });
    }
  };
}
