import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addManualConnection, type ConnectionsDeps, listConnections, testConnection, updateConnection } from '../../hub/connections-admin.js';
import { encryptionKey } from '../../hub/crypto.js';
import { ACCESS_TOKEN, PHONE_NUMBER_ID } from '../../hub/setup.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { connection, connectionList, connectionTest } from '../responses/connections.js';
import { bearerSecurity, errorResponses } from '../schemas.js';

/** No or bad token (401), the database failing or busy (500, 503). */
const errors = errorResponses(401, 500, 503);
/** Writes: bad input (400), not an owner or admin (403), unknown connection or workspace (404), a bad body (413, 415). */
const writeErrors = errorResponses(400, 403, 404, 413, 415);

const metaId = (field: string) => z.string().trim().regex(PHONE_NUMBER_ID, `${field} must be the numeric id Meta shows (5 to 32 digits)`);
const accessToken = z.string().trim().regex(ACCESS_TOKEN, 'accessToken must be the access token: 10 to 4096 characters without spaces');
const optionalText = (field: string) => z.string().trim().min(1, `${field} must not be empty`).max(100, `${field} must be at most 100 characters`).optional();

/** Meta Hub connections (wa_phone_numbers) for the settings page: members list, owners and admins manage. */
export function connectionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const deps = (): ConnectionsDeps => ({
    allowlist: ctx.config.opsAdminEmails,
    key: () => encryptionKey(ctx.config),
    graph: { baseUrl: ctx.config.meta.graphBaseUrl, version: ctx.config.meta.graphVersion },
  });
  // onRequest: the caller is checked before the body is read or validated.
  const common = { onRequest: authenticator(ctx.jwtKey) };
  const tags = ['meta hub'];
  const params = z.object({ id: z.uuid() });
  return async (app) => {
    app.get('/api/meta/whatsapp/connections', {
      ...common,
      schema: {
        tags,
        summary: 'The workspace\'s WhatsApp numbers, with the last webhook seen (any member; never a token)',
        security: bearerSecurity,
        querystring: z.object({ workspaceId: z.uuid() }),
        response: { 200: connectionList, ...errors, ...errorResponses(400, 404) },
      },
    }, async (request) => listConnections(ctx.pool, deps(), currentUser(request), request.query.workspaceId));

    app.post('/api/meta/whatsapp/connections', {
      ...common,
      schema: {
        tags,
        summary: 'Add a number by hand; the access token is stored encrypted and never returned (owners and admins)',
        security: bearerSecurity,
        body: z.object({
          workspaceId: z.uuid(),
          phoneNumberId: metaId('phoneNumberId'),
          wabaId: metaId('wabaId'),
          accessToken,
          displayPhoneNumber: optionalText('displayPhoneNumber'),
          displayName: optionalText('displayName'),
        }),
        response: { 201: connection, ...errors, ...writeErrors, ...errorResponses(409) },
      },
    }, async (request, reply) => reply.status(201).send(await addManualConnection(ctx.pool, deps(), currentUser(request), request.body)));

    app.patch('/api/meta/whatsapp/connections/:id', {
      ...common,
      schema: {
        tags,
        summary: 'Activate or deactivate a number, or replace its access token (owners and admins)',
        security: bearerSecurity,
        params,
        body: z.object({ status: z.enum(['active', 'inactive']).optional(), accessToken: accessToken.optional() })
          .refine((patch) => patch.status !== undefined || patch.accessToken !== undefined, 'send status or accessToken'),
        response: { 200: connection, ...errors, ...writeErrors },
      },
    }, async (request) => updateConnection(ctx.pool, deps(), currentUser(request), request.params.id, request.body));

    app.post('/api/meta/whatsapp/connections/:id/test', {
      ...common,
      schema: {
        tags,
        summary: 'Read the number\'s details from Graph with the stored token: the details, or Meta\'s error and what to do (owners and admins)',
        security: bearerSecurity,
        params,
        response: { 200: connectionTest, ...errors, ...errorResponses(400, 403, 404, 409, 429) },
      },
    }, async (request) => testConnection(ctx.pool, deps(), currentUser(request), request.params.id));
  };
}
