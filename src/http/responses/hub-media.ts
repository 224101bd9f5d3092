import { z } from 'zod';
import { integer } from '../schemas.js';

/** A message's media (src/hub/media/message-media.ts). */
export const messageMedia = z.object({
  kind: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
  state: z.enum(['pending', 'processing', 'stored', 'failed', 'expired']).describe('stored: `url` serves the bytes; pending/processing: still being fetched from Meta; failed/expired: see `error`'),
  mime: z.string().nullable(),
  bytes: integer.nullable(),
  sha256: z.string().nullable(),
  fileName: z.string().nullable(),
  caption: z.string().nullable(),
  url: z.string().nullable().describe('A signed URL of the private bucket, valid until expiresAt'),
  expiresAt: z.string().nullable(),
  error: z.string().nullable(),
});
