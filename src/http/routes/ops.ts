import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { takeRateLimitSlot } from '../../db/rate-limit.js';
import { NotFoundError } from '../../errors.js';
import type { Admin } from '../../ops/admin-context.js';
import { requirePlatformAdmin } from '../../ops/admins.js';
import { disableEntitlement, enableEntitlement, updateEntitlementPayload } from '../../ops/entitlements.js';
import { checkPayloadLimits, disableBody, enableBody, entitlementKey, listQuery, payloadBody, tokenChangeBody, UUID } from '../../ops/inputs.js';
import { changeTokens } from '../../ops/tokens.js';
import { HISTORY_PAGE_MAX } from '../../ops/history.js';
import { listWorkspaces, workspaceAudit, workspaceDetail, workspaceLedger } from '../../ops/workspaces.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { auditPageBody, entitlement, ledgerPageBody, tokenChange, workspaceDetailBody, workspaceSummary } from '../responses/ops.js';
import { bearerSecurity, errorResponses, integer } from '../schemas.js';

const idParams = z.object({ id: z.string() });
const keyParams = z.object({ id: z.string(), key: entitlementKey });
/** Older history: `before` is the `…NextBefore`/`nextBefore` of the page before. */
const historyQuery = z.object({
  before: z.string().max(100, 'before must be at most 100 characters').optional(),
  limit: z.coerce.number().int().min(1, `limit must be 1 to ${HISTORY_PAGE_MAX}`).max(HISTORY_PAGE_MAX, `limit must be 1 to ${HISTORY_PAGE_MAX}`).default(HISTORY_PAGE_MAX),
});
/** Every ops route: no token (401), not a platform admin (403), the database failing or busy (500, 503). */
const errors = errorResponses(401, 403, 500, 503);
/** Writes: bad input (400), an unknown workspace (404), an oversized or non-JSON body (413, 415), the per-admin rate (429). */
const writeErrors = errorResponses(400, 404, 413, 415, 429);

/** Ops console: platform admins only (OPS_ADMIN_EMAILS and a platform_admins row). */
export function opsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const admin = (request: FastifyRequest): Promise<Admin> =>
    requirePlatformAdmin(ctx.pool, ctx.config.opsAdminEmails, currentUser(request));
  /** Writes are rate limited per admin; the path id must be a workspace uuid. */
  const writer = async (request: FastifyRequest, id: string): Promise<Admin> => {
    const acting = await admin(request);
    if (!UUID.test(id)) throw new NotFoundError('workspace_not_found', 'Workspace not found');
    await takeRateLimitSlot(ctx.pool, `ops:${acting.userId}`, ctx.config.opsWriteRateLimit, 60);
    return acting;
  };
  // onRequest: the caller is checked before the body is read or validated.
  const common = { onRequest: authenticator(ctx.jwtKey) };
  const tags = ['ops'];

  return async (app) => {
    app.get('/api/ops/workspaces', {
      ...common,
      schema: { tags, summary: 'Workspaces by name or slug, with balance and enabled entitlements', security: bearerSecurity, querystring: listQuery, response: { 200: z.object({ items: z.array(workspaceSummary), total: integer }), ...errors, ...errorResponses(400) } },
    }, async (request) => {
      await admin(request);
      return listWorkspaces(ctx.pool, request.query);
    });

    app.get('/api/ops/workspaces/:id', {
      ...common,
      schema: { tags, summary: `Workspace detail: balance, entitlements, the newest ${HISTORY_PAGE_MAX} ledger and audit entries with a cursor for each`, security: bearerSecurity, params: idParams, response: { 200: workspaceDetailBody, ...errors, ...errorResponses(404) } },
    }, async (request) => {
      await admin(request);
      return workspaceDetail(ctx.pool, request.params.id);
    });

    app.get('/api/ops/workspaces/:id/ledger', {
      ...common,
      schema: { tags, summary: 'Token ledger of a workspace, newest first; keyset paging (before = ledgerNextBefore or nextBefore)', security: bearerSecurity, params: idParams, querystring: historyQuery, response: { 200: ledgerPageBody, ...errors, ...errorResponses(400, 404) } },
    }, async (request) => {
      await admin(request);
      return workspaceLedger(ctx.pool, request.params.id, request.query);
    });

    app.get('/api/ops/workspaces/:id/audit', {
      ...common,
      schema: { tags, summary: 'Audit log of a workspace, newest first; keyset paging (before = auditNextBefore or nextBefore)', security: bearerSecurity, params: idParams, querystring: historyQuery, response: { 200: auditPageBody, ...errors, ...errorResponses(400, 404) } },
    }, async (request) => {
      await admin(request);
      return workspaceAudit(ctx.pool, request.params.id, request.query);
    });

    for (const direction of ['grant', 'deduct'] as const) {
      app.post(`/api/ops/workspaces/:id/tokens/${direction}`, {
        ...common,
        schema: {
          tags,
          summary: direction === 'grant' ? 'Grant tokens' : 'Deduct tokens',
          security: bearerSecurity,
          params: idParams,
          body: tokenChangeBody,
          response: { 200: tokenChange, ...errors, ...writeErrors, ...errorResponses(409) },
        },
      }, async (request) => {
        const acting = await writer(request, request.params.id);
        return changeTokens(ctx.pool, acting, request.params.id, direction, request.body);
      });
    }

    app.post('/api/ops/workspaces/:id/entitlements/:key/enable', {
      ...common,
      schema: { tags, summary: 'Enable an entitlement (absent or empty payload stores {})', security: bearerSecurity, params: keyParams, body: enableBody, response: { 200: entitlement, ...errors, ...writeErrors } },
    }, async (request) => {
      const acting = await writer(request, request.params.id);
      checkPayloadLimits(request.body.payload, ctx.config.entitlementPayloadMaxBytes);
      return enableEntitlement(ctx.pool, acting, request.params.id, request.params.key, request.body.payload);
    });

    app.post('/api/ops/workspaces/:id/entitlements/:key/disable', {
      ...common,
      schema: { tags, summary: 'Disable an entitlement (reason optional)', security: bearerSecurity, params: keyParams, body: disableBody, response: { 200: entitlement, ...errors, ...writeErrors } },
    }, async (request) => {
      const acting = await writer(request, request.params.id);
      return disableEntitlement(ctx.pool, acting, request.params.id, request.params.key, request.body.reason ?? null);
    });

    app.put('/api/ops/workspaces/:id/entitlements/:key/payload', {
      ...common,
      schema: { tags, summary: 'Replace an entitlement payload (a JSON object)', security: bearerSecurity, params: keyParams, body: payloadBody, response: { 200: entitlement, ...errors, ...writeErrors } },
    }, async (request) => {
      const acting = await writer(request, request.params.id);
      checkPayloadLimits(request.body.payload, ctx.config.entitlementPayloadMaxBytes);
      return updateEntitlementPayload(ctx.pool, acting, request.params.id, request.params.key, request.body.payload);
    });
  };
}
