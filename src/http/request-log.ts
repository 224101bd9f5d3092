import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { redactUrl } from './redact-url.js';

/**
 * Fastify's per-request log lines with the URL's credentials taken out: a signed media URL's
 * `token` (valid for days) or the webhook handshake's `hub.verify_token` never reach a log.
 */
export class RedactingLogController extends LogController {
  override incomingRequest(request: FastifyRequest, _reply: FastifyReply): void {
    // Shaped for Fastify's `req` serializer, which still runs: it reads method, url, host and ip.
    const req = { method: request.method, url: redactUrl(request.url), host: request.hostname, ip: request.ip, headers: {} };
    request.log.info({ req }, 'incoming request');
  }
}
