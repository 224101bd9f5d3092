import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createView, deleteView, listViews, viewFilters } from '../../hub/saved-views.js';
import { withMessageMedia } from '../../hub/media/message-media.js';
import { queueText } from '../../hub/send-text.js';
import { getThread, listMessages, listThreads, threadPatch, threadQuery, updateThread } from '../../hub/threads.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { countThreads, listTags, threadCountsQuery } from '../../hub/thread-counts.js';
import { queuedSend, savedView, sendConflict, thread, threadCounts, threadMessage } from '../responses/hub.js';
import { bearerSecurity, errorResponses, integer } from '../schemas.js';

/** Reads: bad query (400), no or bad token (401), the database failing or busy (500, 503). */
const readErrors = errorResponses(400, 401, 500, 503);
/** Writes also meet a bad, oversized or non-JSON body (400, 413, 415). */
const writeErrors = errorResponses(400, 401, 413, 415, 500, 503);
const notFound = errorResponses(404);

/** Meta Hub routes for members: send-text through the outbox, saved views. */
export function hubRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // onRequest: the caller is checked before the body is read or validated.
  const common = { onRequest: authenticator(ctx.jwtKey) };
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
          replyTo: z.uuid().nullish().describe('A message of the thread to quote'),
        }),
        response: { 202: queuedSend, ...writeErrors, ...errorResponses(404, 429), 409: sendConflict },
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
        response: { 200: z.object({ threads: z.array(thread), nextCursor: z.string().nullable() }), ...readErrors, ...notFound },
      },
    }, async (request) => listThreads(ctx.pool, currentUser(request), request.query));

    app.get('/api/meta/whatsapp/threads/counts', {
      ...common,
      schema: {
        tags,
        summary: 'Threads per status under the other filters (assignee, tag, q): the inbox\'s status tabs',
        security: bearerSecurity,
        querystring: threadCountsQuery,
        response: { 200: threadCounts, ...readErrors, ...notFound },
      },
    }, async (request) => countThreads(ctx.pool, currentUser(request), request.query));

    app.get('/api/meta/whatsapp/tags', {
      ...common,
      schema: {
        tags,
        summary: 'The workspace\'s thread tags (up to 500, by name) with how many threads carry each',
        security: bearerSecurity,
        querystring: z.object({ workspaceId: z.uuid() }),
        response: { 200: z.object({ tags: z.array(z.object({ tag: z.string(), threads: integer })) }), ...readErrors, ...notFound },
      },
    }, async (request) => ({ tags: await listTags(ctx.pool, currentUser(request), request.query.workspaceId) }));

    app.get('/api/meta/whatsapp/threads/:id', {
      ...common,
      schema: { tags, summary: 'One thread (the open thread of the inbox, whatever the list\'s filter)', security: bearerSecurity, params: z.object({ id: z.uuid() }), response: { 200: thread, ...readErrors, ...notFound } },
    }, async (request) => getThread(ctx.pool, currentUser(request), request.params.id));

    app.get('/api/meta/whatsapp/threads/:id/messages', {
      ...common,
      schema: {
        tags,
        summary: 'Messages of a thread, newest first; keyset paging (before = the nextBefore of the previous page)',
        security: bearerSecurity,
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ before: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ messages: z.array(threadMessage), nextBefore: z.string().nullable() }), ...readErrors, ...notFound },
      },
    }, async (request) => {
      const page = await listMessages(ctx.pool, currentUser(request), request.params.id, request.query);
      const ttl = ctx.config.monitor.signedUrlTtlSeconds;
      return { ...page, messages: await withMessageMedia(ctx.pool, currentUser(request), ctx.mediaStore, ttl, page.messages) };
    });

    app.patch('/api/meta/whatsapp/threads/:id', {
      ...common,
      schema: {
        tags,
        summary: 'Change status, assignee or tags; read: true resets unread_count',
        security: bearerSecurity,
        params: z.object({ id: z.uuid() }),
        body: threadPatch,
        response: { 200: thread, ...writeErrors, ...notFound },
      },
    }, async (request) => updateThread(ctx.pool, currentUser(request), request.params.id, request.body));

    app.get('/api/meta/whatsapp/saved-views', {
      ...common,
      schema: { tags, summary: 'The caller\'s saved views in a workspace', security: bearerSecurity, querystring: z.object({ workspaceId: z.uuid() }), response: { 200: z.object({ views: z.array(savedView) }), ...readErrors, ...notFound } },
    }, async (request) => ({ views: await listViews(ctx.pool, currentUser(request), request.query.workspaceId) }));

    app.post('/api/meta/whatsapp/saved-views', {
      ...common,
      schema: {
        tags,
        summary: 'Save a filter combination under a name',
        security: bearerSecurity,
        body: z.object({ workspaceId: z.uuid(), name: z.string().trim().min(1, 'name must not be empty').max(80, 'name must be at most 80 characters'), filters: viewFilters.default({}) }),
        response: { 201: savedView, ...writeErrors, ...errorResponses(404, 409) },
      },
    }, async (request, reply) => reply.status(201).send(await createView(ctx.pool, currentUser(request), request.body)));

    app.delete('/api/meta/whatsapp/saved-views', {
      ...common,
      schema: { tags, summary: 'Delete a saved view', security: bearerSecurity, body: z.object({ workspaceId: z.uuid(), viewId: z.uuid() }), response: { 200: z.object({ deleted: z.literal(true) }), ...writeErrors, ...notFound } },
    }, async (request) => {
      await deleteView(ctx.pool, currentUser(request), request.body.workspaceId, request.body.viewId);
      return { deleted: true as const };
    });
  };
}
