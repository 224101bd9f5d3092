import { InputError, AppError } from '../../errors.js';
import { baseMime, formatBytes, kindForMime, MEDIA_LIMITS, type SendableKind } from './limits.js';

/** What WhatsApp accepts, in words a person knows (the exact types are in MEDIA_LIMITS and the API docs). */
const ACCEPTED = 'a JPEG or PNG image (5 MB), an MP4 or 3GP video (16 MB), AAC, AMR, MP3, M4A or OGG audio (16 MB), or a PDF, TXT, Word, Excel or PowerPoint document (100 MB)';

/** Meta's longest caption. */
export const MAX_CAPTION = 1024;
export const MAX_FILE_NAME = 240;

/** 413 media_too_large: the file is over what WhatsApp takes for its kind. */
export class MediaTooLargeError extends AppError {
  constructor(message: string) {
    super('media_too_large', message, 413);
  }
}

/** What the file is sent as: its kind and type, checked against Meta's limits before anything is queued. */
export interface CheckedMedia {
  kind: SendableKind;
  mime: string;
}

/**
 * Checks a file against what the Cloud API accepts: 400 unsupported_media_type for a type WhatsApp
 * does not take (or not as the asked kind), 413 media_too_large over the kind's size. Messages name
 * the field (`file`, `kind`).
 */
export function checkMedia(mime: string, bytes: number, askedKind: SendableKind | null): CheckedMedia {
  const type = baseMime(mime);
  const kind = askedKind ?? kindForMime(type);
  if (!kind) {
    throw new InputError(`file: type ${type || '(none)'} is not one WhatsApp accepts; send ${ACCEPTED}`, 'unsupported_media_type');
  }
  if (!MEDIA_LIMITS[kind].mimes.includes(type)) {
    throw new InputError(`file: type ${type || '(none)'} cannot be sent as kind ${kind}; a ${kind} is one of ${MEDIA_LIMITS[kind].mimes.join(', ')}`, 'unsupported_media_type');
  }
  if (bytes === 0) throw new InputError('file: the file is empty', 'empty_file');
  const max = MEDIA_LIMITS[kind].maxBytes;
  if (bytes > max) throw new MediaTooLargeError(`file: ${formatBytes(bytes)} is over the ${formatBytes(max)} WhatsApp allows for a ${kind}`);
  return { kind, mime: type };
}

/** The type a file came with; a browser that knows none (application/octet-stream) is helped by the name's extension. */
export function declaredMime(mime: string | null | undefined, fileName: string | null): string {
  const given = baseMime(mime ?? '');
  if (given && given !== 'application/octet-stream') return given;
  const ext = fileName?.slice(fileName.lastIndexOf('.') + 1).toLowerCase() ?? '';
  const byExt: Record<string, string> = {
    'jpg': 'image/jpeg', 'jpeg': 'image/jpeg', 'png': 'image/png', 'mp4': 'video/mp4', '3gp': 'video/3gpp', 'mp3': 'audio/mpeg', 'm4a': 'audio/mp4',
    'aac': 'audio/aac', 'amr': 'audio/amr', 'ogg': 'audio/ogg', 'opus': 'audio/ogg', 'pdf': 'application/pdf', 'txt': 'text/plain',
    'doc': 'application/msword', 'xls': 'application/vnd.ms-excel', 'ppt': 'application/vnd.ms-powerpoint',
    'docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  };
  return byExt[ext] ?? given;
}
