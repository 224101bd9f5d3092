import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, NotFoundError } from '../../errors.js';
import { byteRange } from '../../storage/byte-range.js';
import { SIGNED_PATH_PREFIX, verifySignedToken } from '../../storage/local.js';
import { contentTypeFor } from '../../storage/mime.js';
import { ObjectCache } from '../../storage/object-cache.js';
import { objectKey } from '../../storage/store.js';
import type { AppContext } from '../context.js';
import { errorResponses } from '../schemas.js';

/** The object's bytes: a buffer or a stream, which the serializer never touches, documented as binary. */
const objectBytes = z.custom<Readable | Buffer>((value) => value instanceof Readable || Buffer.isBuffer(value)).meta({ type: 'string', format: 'binary' });

/**
 * Serves the local store's signed URLs (Supabase's `/storage/v1/object/sign/<bucket>/<path>` shape):
 * the object is sent only when the token was issued for exactly this path and has not expired.
 * Small objects come from memory after their first read; the browser may cache the response
 * until the token expires (at most an hour): signed URLs are stable within a window
 * (signedUrlExpiry), so a re-read page reuses the images it already has.
 */
export function storageRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const store = ctx.mediaStore;
    if (store.driver !== 'local' || !('filePath' in store)) return;
    const filePath = store.filePath as (key: string) => string;
    const cache = new ObjectCache();
    app.get(`${SIGNED_PATH_PREFIX}/:bucket/*`, {
      schema: {
        tags: ['storage'],
        summary: 'Download a media object through a signed URL (local store)',
        params: z.object({ 'bucket': z.string(), '*': z.string() }),
        querystring: z.object({ token: z.string().optional() }),
        response: {
          // Sent with the content type of the object's name (image/jpeg, video/mp4, ...).
          200: { description: 'The object', content: { 'application/octet-stream': { schema: objectBytes } } },
          206: { description: 'The byte range the Range header asked for (a media player seeking)', content: { 'application/octet-stream': { schema: objectBytes } } },
          ...errorResponses(400, 403, 404, 416, 500),
        },
      },
    }, async (request, reply) => {
      const { bucket, '*': key } = request.params;
      if (bucket !== store.bucket) throw new NotFoundError('bucket_not_found', `No bucket ${bucket}`);
      objectKey(key);
      const exp = verifySignedToken(request.query.token, bucket, key, ctx.jwtKey);
      const file = filePath(key);
      const object = await cache.read(file);
      if (!object) throw new NotFoundError('object_not_found', 'Object not found');
      const maxAge = Math.max(0, Math.min(3600, Math.floor(exp - Date.now() / 1000)));
      reply
        .header('content-type', contentTypeFor(key))
        // Content-addressed: the bytes behind a key never change.
        .header('cache-control', `private, max-age=${maxAge}, immutable`)
        .header('accept-ranges', 'bytes');
      const size = Buffer.isBuffer(object) ? object.length : object.size;
      const range = byteRange(request.headers.range, size);
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${size}`);
        throw new AppError('range_not_satisfiable', `Range: the object has ${size} bytes`, 416);
      }
      if (range) {
        reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', range.end - range.start + 1);
        return reply.send(Buffer.isBuffer(object) ? object.subarray(range.start, range.end + 1) : createReadStream(file, range));
      }
      if (Buffer.isBuffer(object)) return reply.header('content-length', object.length).send(object);
      return reply.header('content-length', object.size).send(createReadStream(file));
    });
  };
}
