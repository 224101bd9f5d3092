import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ForbiddenError, InputError, UnauthorizedError } from '../../errors.js';
import { webhookBatcher } from '../../hub/webhook/batcher.js';
import { reportOutcome, sqlEvents } from '../../hub/webhook/ingest.js';
import { parseWebhookJson } from '../../hub/webhook/parse.js';
import { validSignature } from '../../hub/webhook/signature.js';
import type { AppContext } from '../context.js';
import { FALLBACK_SECURITY_HEADERS } from '../security-headers.js';
import { errorResponses, integer } from '../schemas.js';

const PATH = '/api/webhooks/meta/whatsapp';

/**
 * Meta's WhatsApp webhook: the GET verification handshake and signed POSTs. The POST body is kept
 * raw (the signature covers the exact bytes) and parsed here; anything Meta can send answers 200
 * once stored, so Meta never retries into a storm.
 */
export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const batcher = webhookBatcher(ctx.servicePool ?? ctx.pool, {
      onPublishError: (error) => app.log.warn({ err: error }, 'realtime events of stored webhooks could not be sent: open inboxes update on their next re-read'),
    });
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.get(PATH, {
      schema: {
        tags: ['webhooks'],
        summary: 'Meta verification handshake',
        querystring: z.object({ 'hub.mode': z.string().optional(), 'hub.verify_token': z.string().optional(), 'hub.challenge': z.string().optional() }),
        response: {
          200: { description: 'The hub.challenge, echoed', content: { 'text/plain': { schema: z.string() } } },
          ...errorResponses(400, 403),
        },
      },
    }, async (request, reply) => {
      const query = request.query;
      const expected = ctx.config.meta.verifyToken;
      if (query['hub.mode'] !== 'subscribe' || !expected || query['hub.verify_token'] !== expected) {
        throw new ForbiddenError('verification_failed', 'hub.verify_token does not match META_WEBHOOK_VERIFY_TOKEN');
      }
      return reply.type('text/plain').send(query['hub.challenge'] ?? '');
    });

    app.post(PATH, {
      // Helmet's per-request work is skipped on this hot path; the same headers go out as one
      // fixed set instead, so this answer (a 401 to whoever probes it, too) is no exception.
      helmet: false,
      onRequest: (_request, reply, done) => {
        reply.headers(FALLBACK_SECURITY_HEADERS);
        done();
      },
      schema: {
        tags: ['webhooks'],
        summary: 'Meta webhook events (X-Hub-Signature-256 signed)',
        response: {
          200: z.object({ ok: z.boolean(), stored: integer, deduped: z.boolean(), orphans: integer }),
          // 500: the POST failed twice; 503: the database is busy or 5,000 POSTs already wait. Meta re-delivers both.
          ...errorResponses(400, 401, 413, 500, 503),
        },
      },
    }, async (request) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const secret = ctx.config.meta.appSecret;
      const header = request.headers['x-hub-signature-256'];
      const given = typeof header === 'string' ? header : undefined;
      // A signature that can be checked always is; an unverifiable POST is refused unless the
      // operator opted in for development (META_WEBHOOK_ALLOW_UNSIGNED=1, refused in production).
      if (secret && given !== undefined) {
        if (!validSignature(raw, given, secret)) throw new UnauthorizedError('X-Hub-Signature-256 does not match the body', 'invalid_signature');
      } else if (!ctx.config.meta.allowUnsigned) {
        throw new UnauthorizedError(
          secret ? 'X-Hub-Signature-256 is missing' : 'Webhooks cannot be verified: META_APP_SECRET is not set',
          'invalid_signature',
        );
      }
      let body: unknown;
      try {
        body = parseWebhookJson(raw.toString('utf8'));
      } catch {
        throw new InputError('body: not valid JSON', 'invalid_json');
      }
      // Anything Meta can send is stored and answered 200; only a database failure is a 5xx,
      // logged with its cause by the error handler.
      const result = reportOutcome(await batcher.ingest(sqlEvents(body)), request.log);
      return { ok: true, stored: result.stored, deduped: result.stored === 0 && result.duplicates > 0, orphans: result.orphans };
    });
  };
}
