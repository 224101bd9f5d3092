import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queueReaction } from '../../hub/send-reaction.js';
import { getHubSettings, updateHubSettings } from '../../hub/settings.js';
import { listTemplates } from '../../hub/templates/list.js';
import { queueTemplate } from '../../hub/templates/send-template.js';
import { templateParameters } from '../../hub/templates/validate.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { hubSettings, messageTemplate, queuedSend, sendConflict } from '../responses/hub.js';
import { bearerSecurity, errorResponses } from '../schemas.js';

const readErrors = errorResponses(400, 401, 404, 500, 503);
const writeErrors = errorResponses(400, 401, 404, 413, 415, 500, 503);
const idempotencyKey = z.string().trim().max(200).nullish();

/** Issue 17's Cloud API routes for members: templates, reactions, the workspace's settings. */
export function hubCloudRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const common = { onRequest: authenticator(ctx.jwtKey) };
  const tags = ['meta hub'];
  return async (app) => {
    app.post('/api/meta/whatsapp/send-template', {
      ...common,
      schema: {
        tags,
        summary: 'Queue an APPROVED template (allowed inside and outside the customer service window); parameters must fit its components',
        security: bearerSecurity,
        body: z.object({
          workspaceId: z.uuid(),
          threadId: z.uuid(),
          name: z.string().trim().min(1, 'name must not be empty').max(512, 'name must be at most 512 characters'),
          language: z.string().trim().min(2, 'language must be a code such as en_US').max(20, 'language must be a code such as en_US'),
          parameters: templateParameters,
          idempotencyKey,
        }),
        response: { 202: queuedSend, ...writeErrors, ...errorResponses(429), 409: sendConflict },
      },
    }, async (request, reply) => reply.status(202).send(await queueTemplate(ctx.pool, currentUser(request), request.body, ctx.config.sendRateLimit)));

    app.post('/api/meta/whatsapp/send-reaction', {
      ...common,
      schema: {
        tags,
        summary: 'React to a thread message (an empty emoji removes the reaction); inside the customer service window only',
        security: bearerSecurity,
        body: z.object({
          workspaceId: z.uuid(),
          threadId: z.uuid(),
          messageId: z.uuid(),
          emoji: z.string().trim().max(16, 'emoji must be one emoji (or empty to remove the reaction)'),
          idempotencyKey,
        }),
        response: { 202: queuedSend, ...writeErrors, ...errorResponses(429), 409: sendConflict },
      },
    }, async (request, reply) => reply.status(202).send(await queueReaction(ctx.pool, currentUser(request), request.body, ctx.config.sendRateLimit)));

    app.get('/api/meta/whatsapp/templates', {
      ...common,
      schema: {
        tags,
        summary: 'The workspace\'s message templates (synced from its WABAs); status=APPROVED for the reply box, threadId for that thread\'s WABA',
        security: bearerSecurity,
        querystring: z.object({
          workspaceId: z.uuid(),
          status: z.enum(['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'ARCHIVED', 'DELETED', 'UNKNOWN']).optional(),
          threadId: z.uuid().optional(),
        }),
        response: { 200: z.object({ templates: z.array(messageTemplate) }), ...readErrors },
      },
    }, async (request) => ({ templates: await listTemplates(ctx.pool, currentUser(request), request.query) }));

    app.get('/api/meta/whatsapp/settings', {
      ...common,
      schema: { tags, summary: 'The workspace\'s Meta Hub settings (read receipts)', security: bearerSecurity, querystring: z.object({ workspaceId: z.uuid() }), response: { 200: hubSettings, ...readErrors } },
    }, async (request) => getHubSettings(ctx.pool, ctx.config.opsAdminEmails, currentUser(request), request.query.workspaceId));

    app.patch('/api/meta/whatsapp/settings', {
      ...common,
      schema: {
        tags,
        summary: 'Change the workspace\'s Meta Hub settings (owners and admins)',
        security: bearerSecurity,
        body: z.object({ workspaceId: z.uuid(), readReceipts: z.boolean().optional() }),
        response: { 200: hubSettings, ...writeErrors, ...errorResponses(403) },
      },
    }, async (request) => updateHubSettings(ctx.pool, ctx.config.opsAdminEmails, currentUser(request), request.body.workspaceId, request.body));
  };
}
