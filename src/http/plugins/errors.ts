import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isPoolTimeout } from '../../db/pool.js';
import { AppError, pgCode, RateLimitedError, UpstreamError } from '../../errors.js';
import { FALLBACK_SECURITY_HEADERS } from '../security-headers.js';

function send(reply: FastifyReply, status: number, code: string, message: string, exposed?: Record<string, unknown>) {
  return reply.status(status).send({ error: { ...exposed, code, message } });
}

/** Fastify's own client-error codes, renamed to stable snake_case codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
};

/** Postgres errors a caller's input can cause, should one get past route validation. */
const CLIENT_PG_CODES: Record<string, [number, string, string]> = {
  '22P02': [400, 'invalid_input', 'A value has the wrong format'],
  '22003': [400, 'invalid_input', 'A number is out of range'],
  '22001': [400, 'invalid_input', 'A value is too long'],
  '22007': [400, 'invalid_input', 'A date or time has the wrong format'],
  '22008': [400, 'invalid_input', 'A date or time is out of range'],
  // JSON may carry U+0000; PostgreSQL text (22021) and jsonb (22P05) cannot hold it.
  '22021': [400, 'invalid_input', 'A value contains a character that cannot be stored (U+0000)'],
  '22P05': [400, 'invalid_input', 'A value contains a character that cannot be stored (U+0000)'],
  // Overload (a statement or lock wait past its limit, no connection left): busy, retry soon.
  '57014': [503, 'database_busy', 'The database is busy: retry in a moment'],
  '55P03': [503, 'database_busy', 'The database is busy: retry in a moment'],
  '53300': [503, 'database_busy', 'The database is busy: retry in a moment'],
};

/** Seconds a client should wait after a 503 database_busy. */
const BUSY_RETRY_AFTER_SECONDS = 2;

/**
 * Fastify's answer to a request it cannot route at all (a malformed percent-encoding, a path
 * segment over maxParamLength): the one error shape, a request id and the security headers, and
 * never the request URL (it may carry a token).
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  request.log.info({ code: error.code }, 'malformed request URL');
  void reply
    .headers({ ...FALLBACK_SECURITY_HEADERS, 'x-request-id': request.id })
    .status(tooLong ? 414 : 400)
    .send({ error: { code: tooLong ? 'path_too_long' : 'invalid_url', message: tooLong ? 'A path segment is too long' : 'The URL is malformed (bad percent-encoding)' } });
}

/**
 * One error shape for everything: `{"error":{"code":"snake_case","message":"…"}}`.
 * 5xx messages are logged with their cause and hidden from clients.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  /** Answers what no route matched before the JSON 404 (the web app's client routes); true when it did. */
  fallback: (request: FastifyRequest, reply: FastifyReply) => boolean = () => false,
): void {
  app.setNotFoundHandler((request, reply) => {
    if (fallback(request, reply)) return reply;
    return send(reply, 404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const where = [error.validationContext, ...(first?.instancePath ?? '').split('/').filter(Boolean)].join(
        '.',
      );
      return send(reply, 400, 'invalid_input', `${where}: ${first?.message ?? 'invalid value'}`);
    }
    if (error instanceof AppError && (error.status < 500 || error instanceof UpstreamError)) {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
      if (error.status >= 500) request.log.warn({ code: error.code, status: error.status }, 'upstream service failed');
      return send(reply, error.status, error.code, error.message, error.exposed);
    }
    const fastifyCode = FASTIFY_CODES[error.code];
    if (fastifyCode) return send(reply, error.statusCode ?? 400, fastifyCode, error.message);
    const sqlstate = pgCode(error);
    const mapped = sqlstate ? CLIENT_PG_CODES[sqlstate] : isPoolTimeout(error) ? CLIENT_PG_CODES['53300'] : undefined;
    if (mapped) {
      request.log.warn({ err: error }, mapped[0] === 503 ? 'database busy' : 'database rejected a request value');
      if (mapped[0] === 503) reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
      return send(reply, mapped[0], mapped[1], mapped[2]);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, error.statusCode, 'bad_request', error.message);
    }
    const status = error instanceof AppError ? error.status : 500;
    request.log.error({ err: error }, 'request failed');
    const code = error instanceof AppError ? error.code : 'internal_error';
    return send(reply, status, code, status === 503 ? 'Service unavailable' : 'Internal server error');
  });
}
