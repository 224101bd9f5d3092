import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { formatBytes, LARGEST_MEDIA_BYTES, SENDABLE_KINDS } from '../../hub/media/limits.js';
import { queueMedia } from '../../hub/media/send-media.js';
import { MAX_CAPTION, MAX_FILE_NAME, MediaTooLargeError } from '../../hub/media/send-media-input.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { queuedSend } from '../responses/hub.js';
import { bearerSecurity, errorResponses } from '../schemas.js';

/** The multipart framing around the file (boundaries, the other fields) is far below this. */
const FRAMING_BYTES = 1024 * 1024;

interface UploadedFile { bytes: Buffer; mime: string | null; fileName: string | null }
const uploadedFile = z.custom<UploadedFile>((value) => Boolean(value && typeof value === 'object' && Buffer.isBuffer((value as UploadedFile).bytes)), 'file: expected a file part')
  .meta({ type: 'string', format: 'binary' });
const optionalText = (max: number, field: string) =>
  z.string().trim().max(max, `${field} must be at most ${max} characters`).nullish().transform((value) => value || null);

const sendMediaBody = z.object({
  workspaceId: z.uuid(),
  threadId: z.uuid(),
  kind: z.enum(SENDABLE_KINDS).nullish().transform((value) => value ?? null),
  caption: optionalText(MAX_CAPTION, 'caption'),
  fileName: optionalText(MAX_FILE_NAME, 'fileName'),
  idempotencyKey: optionalText(200, 'idempotencyKey'),
  mediaId: z.uuid().nullish().transform((value) => value ?? null),
  replyTo: z.uuid().nullish().transform((value) => value ?? null).describe('A message of the thread to quote, as in send-text'),
  file: uploadedFile.nullish().transform((value) => value ?? null),
}).refine((body) => (body.file === null) !== (body.mediaId === null), { message: 'give exactly one of file (an upload) and mediaId (a stored item)', path: ['file'] });

/** A multipart/form-data body (kept as bytes by the parser) as the fields of sendMediaBody. */
async function formFields(request: FastifyRequest, raw: Buffer): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
  } catch {
    throw new InputError('body: not a valid multipart/form-data body', 'invalid_multipart');
  }
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    if (name in fields) throw new InputError(`${name}: given more than once`, 'invalid_multipart');
    fields[name] = typeof value === 'string'
      ? value
      : { bytes: Buffer.from(await value.arrayBuffer()), mime: value.type || null, fileName: value.name && value.name !== 'blob' ? value.name : null };
  }
  return fields;
}

/**
 * `POST /api/meta/whatsapp/send-media`: a multipart upload (`file` plus the fields) or JSON naming a
 * stored media item (`mediaId`). Type and size are checked against Meta's limits (400/413), an
 * upload's leading bytes against its type (400 media_type_mismatch) and the customer service
 * window (409) before anything is queued; the worker uploads the file to Meta and
 * sends it through the outbox.
 */
export function hubMediaRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const limit = LARGEST_MEDIA_BYTES + FRAMING_BYTES;
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));
    app.post('/api/meta/whatsapp/send-media', {
      bodyLimit: limit,
      onRequest: [
        authenticator(ctx.jwtKey),
        async (request) => {
          // Refused before the body is read, with the limit named.
          if (Number(request.headers['content-length']) > limit) {
            throw new MediaTooLargeError(`file: the upload is over the ${formatBytes(LARGEST_MEDIA_BYTES)} WhatsApp allows for any file`);
          }
        },
      ],
      preValidation: async (request) => {
        // Parsed here so the schema below validates both shapes alike (and names the field that is wrong).
        if (Buffer.isBuffer(request.body)) (request as { body: unknown }).body = await formFields(request, request.body);
      },
      schema: {
        tags: ['meta hub'],
        summary: 'Queue a media reply (image, video, audio, document) on the thread\'s own connection',
        description: 'multipart/form-data with a `file` part and the other fields as text parts, or JSON with `mediaId` (a stored media item of this workspace). ' +
          'Meta\'s limits: image jpeg/png 5 MB; video mp4/3gpp 16 MB; audio aac/amr/mpeg/mp4/ogg 16 MB; document pdf/txt/office 100 MB. ' +
          'The file\'s leading bytes must fit its type (JPEG, PNG, MP4/3GP/M4A, AAC, AMR, MP3, OGG, PDF, Office; text without NUL bytes). ' +
          '400 unsupported_media_type, 400 media_type_mismatch, 413 media_too_large, 409 outside_customer_service_window before anything is queued.',
        security: bearerSecurity,
        consumes: ['multipart/form-data', 'application/json'],
        body: sendMediaBody,
        response: { 202: queuedSend, ...errorResponses(400, 401, 404, 409, 413, 415, 429, 500, 503) },
      },
    }, async (request, reply) => {
      const result = await queueMedia(ctx.pool, ctx.mediaStore, currentUser(request), request.body, ctx.config.sendRateLimit);
      return reply.status(202).send(result);
    });
  };
}
