import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { gotrueErrorBody, GoTrueError, gotrueErrors } from '../../auth/gotrue-errors.js';
import { apiKeyRole, verifyAccessToken } from '../../auth/jwt.js';
import { sessionIsActive } from '../../auth/sessions.js';
import { findUserById, type UserRow } from '../../auth/users.js';
import type { UserClaims } from '../../db/with-user.js';
import { pgCode, UnauthorizedError } from '../../errors.js';
import type { AppContext } from '../context.js';

/** The API version this subset of GoTrue answers as (auth-js reads `code` from 2024-01-01 on). */
export const GOTRUE_API_VERSION = '2024-01-01';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header(request, 'authorization') ?? '');
  return match ? match[1]! : null;
}

/** Sends a GoTrueError as GoTrue would. */
export function sendGoTrueError(request: FastifyRequest, reply: FastifyReply, error: GoTrueError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.status(error.status).send(gotrueErrorBody(error, header(request, 'x-supabase-api-version')));
}

/**
 * Makes the routes of this (encapsulated) plugin answer like GoTrue: the API-version header on
 * every reply, and every error, bad JSON included, in GoTrue's shape. Nothing becomes a 500 but
 * a real fault, which is logged and hidden.
 */
export function useGoTrueShape(app: FastifyInstance): void {
  // auth-js posts logout with a JSON content type and no body; GoTrue takes that, and so do we.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (typeof body !== 'string' || body.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch {
      done(gotrueErrors.badJson(), undefined);
    }
  });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-supabase-api-version', GOTRUE_API_VERSION);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof GoTrueError) return sendGoTrueError(request, reply, error);
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return sendGoTrueError(request, reply, gotrueErrors.badJson());
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendGoTrueError(request, reply, gotrueErrors.validation('Content-Type must be application/json'));
    const sqlstate = pgCode(error);
    if (sqlstate && ['22P02', '22001', '22021', '22P05'].includes(sqlstate)) {
      request.log.warn({ sqlstate }, 'database rejected an auth request value');
      return sendGoTrueError(request, reply, gotrueErrors.validation('A value has the wrong format'));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendGoTrueError(request, reply, new GoTrueError(status, 'validation_failed', error.message));
    request.log.error({ err: error }, 'auth request failed');
    return sendGoTrueError(request, reply, gotrueErrors.unexpected());
  });
}

/**
 * What Supabase's gateway asks of every /auth/v1 call: an API key, in `apikey` (header or query)
 * or as the bearer token. Here the anon key (or a service_role key) signed with the JWT key.
 */
export function requireApiKey(ctx: AppContext) {
  return async function apiKey(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    const query = request.query as Record<string, unknown> | undefined;
    const candidates = [header(request, 'apikey'), typeof query?.apikey === 'string' ? query.apikey : undefined, bearerToken(request) ?? undefined];
    const given = candidates.filter((value): value is string => Boolean(value));
    if (given.length === 0) {
      return reply.status(401).send({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
    }
    for (const key of given) if (await apiKeyRole(key, ctx.jwtKey)) return;
    return reply.status(401).send({ message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' });
  };
}

export interface BearerSession {
  claims: UserClaims;
  user: UserRow;
  /** The session_id claim; null for tokens minted outside a session (`wabase auth token`). */
  sessionId: string | null;
}

/** The caller of /user and /logout, as GoTrue finds them: valid JWT, existing user, live session. */
export async function bearerSession(ctx: AppContext, request: FastifyRequest): Promise<BearerSession> {
  const token = bearerToken(request);
  if (!token) throw gotrueErrors.noAuthorization();
  let claims: UserClaims;
  try {
    claims = await verifyAccessToken(token, ctx.jwtKey);
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      throw gotrueErrors.badJwt(error.code === 'token_expired' ? 'token has invalid claims: token is expired' : 'token is invalid');
    }
    throw error;
  }
  if (!UUID.test(claims.sub)) throw gotrueErrors.badJwt('invalid claim: sub claim must be a UUID');
  const user = await findUserById(ctx.pool, claims.sub);
  if (!user) throw gotrueErrors.userNotFound();
  const sessionId = typeof claims.session_id === 'string' ? claims.session_id : null;
  if (sessionId !== null && (!UUID.test(sessionId) || !(await sessionIsActive(ctx.pool, sessionId, user.id)))) {
    throw gotrueErrors.sessionNotFound();
  }
  return { claims, user, sessionId };
}
