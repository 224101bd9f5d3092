import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createView, deleteView, listViews, viewFilters } from '../../hub/saved-views.js';
import { queueText } from '../../hub/send-text.js';
import { listMessages, listThreads, threadPatch, threadQuery, updateThread } from '../../hub/threads.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { bearerSecurity, errorBody } from '../schemas.js';

const errors = { 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody, 429: errorBody };
const view = z.object({ id: z.string(), workspaceId: z.string(), name: z.string(), filters: viewFilters, createdAt: z.any(), updatedAt: z.any() });

/** Meta Hub routes for members: send-text through the outbox, saved views. */
export function hubRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const common = { preHandler: authenticator(ctx.jwtKey) };
  const tags = ['meta hub'];
  return async (app) => {
    app.post('/api/meta/whatsapp/send-text', {
      ...common,
      schema: {
        tags,
        summary: 'Queue a text reply on the thread\'s own connection',
        security: bearerSecurity,
        body: z.object({
          workspaceId: z.uuid(),
          threadId: z.uuid(),
          text: z.string().trim().min(1, 'text must not be empty').max(4096, 'text must be at most 4096 characters'),
          idempotencyKey: z.string().trim().max(200).nullish(),
        }),
        response: { 202: z.object({ queued: z.literal(true), outboxId: z.string(), messageId: z.string(), duplicate: z.boolean() }), ...errors },
      },
    }, async (request, reply) => {
      const result = await queueText(ctx.pool, currentUser(request), request.body, ctx.config.sendRateLimit);
      return reply.status(202).send(result);
    });

    app.get('/api/meta/whatsapp/threads', {
      ...common,
      schema: {
        tags,
        summary: 'The inbox: filters status, assignee (me, unassigned, a user id), tag, q; cursor paging',
        security: bearerSecurity,
        querystring: threadQuery,
        response: { 200: z.object({ threads: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().nullable() }), ...errors },
      },
    }, async (request) => listThreads(ctx.pool, currentUser(request), request.query));

    app.get('/api/meta/whatsapp/threads/:id/messages', {
      ...common,
      schema: {
        tags,
        summary: 'Messages of a thread, newest first',
        security: bearerSecurity,
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ before: z.iso.datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ messages: z.array(z.record(z.string(), z.unknown())) }), ...errors },
      },
    }, async (request) => listMessages(ctx.pool, currentUser(request), request.params.id, request.query));

    app.patch('/api/meta/whatsapp/threads/:id', {
      ...common,
      schema: {
        tags,
        summary: 'Change status, assignee or tags; read: true resets unread_count',
        security: bearerSecurity,
        params: z.object({ id: z.uuid() }),
        body: threadPatch,
        response: { 200: z.record(z.string(), z.unknown()), ...errors },
      },
    }, async (request) => updateThread(ctx.pool, currentUser(request), request.params.id, request.body));

    app.get('/api/meta/whatsapp/saved-views', {
      ...common,
      schema: { tags, summary: 'The caller\'s saved views in a workspace', security: bearerSecurity, querystring: z.object({ workspaceId: z.uuid() }), response: { 200: z.object({ views: z.array(view) }), ...errors } },
    }, async (request) => ({ views: await listViews(ctx.pool, currentUser(request), request.query.workspaceId) }));

    app.post('/api/meta/whatsapp/saved-views', {
      ...common,
      schema: {
        tags,
        summary: 'Save a filter combination under a name',
        security: bearerSecurity,
        body: z.object({ workspaceId: z.uuid(), name: z.string().trim().min(1, 'name must not be empty').max(80, 'name must be at most 80 characters'), filters: viewFilters.default({}) }),
        response: { 201: view, ...errors },
      },
    }, async (request, reply) => reply.status(201).send(await createView(ctx.pool, currentUser(request), request.body)));

    app.delete('/api/meta/whatsapp/saved-views', {
      ...common,
      schema: { tags, summary: 'Delete a saved view', security: bearerSecurity, body: z.object({ workspaceId: z.uuid(), viewId: z.uuid() }), response: { 200: z.object({ deleted: z.literal(true) }), ...errors } },
    }, async (request) => {
      await deleteView(ctx.pool, currentUser(request), request.body.workspaceId, request.body.viewId);
      return { deleted: true as const };
    });
  };
}
