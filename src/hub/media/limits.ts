/**
 * What the Cloud API accepts per media kind: MIME types and the largest file (Meta's "Supported
 * media types", as AWS End User Messaging's WhatsApp guide and the research notes in
 * /work/shared/research/meta-cloud-api.md §4.4 give them). Inbound media is archived up to the
 * same sizes; send-media refuses anything else before it is queued.
 */
export const MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
/** Kinds an agent can send from the inbox (stickers are not). */
export const SENDABLE_KINDS = ['image', 'video', 'audio', 'document'] as const;
export type SendableKind = (typeof SENDABLE_KINDS)[number];

const MB = 1024 * 1024;

export const MEDIA_LIMITS: Record<MediaKind, { maxBytes: number; mimes: readonly string[] }> = {
  image: { maxBytes: 5 * MB, mimes: ['image/jpeg', 'image/png'] },
  video: { maxBytes: 16 * MB, mimes: ['video/mp4', 'video/3gpp'] },
  audio: { maxBytes: 16 * MB, mimes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'] },
  document: {
    maxBytes: 100 * MB,
    mimes: [
      'application/pdf', 'text/plain', 'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
  },
  // 100 KB static, 500 KB animated: an archive cannot tell which before reading it, so the larger.
  sticker: { maxBytes: 500 * 1024, mimes: ['image/webp'] },
};

/** The largest file any kind allows: the send-media body limit (plus the multipart framing). */
export const LARGEST_MEDIA_BYTES = Math.max(...Object.values(MEDIA_LIMITS).map((limit) => limit.maxBytes));

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
export const baseMime = (mime: string) => mime.split(';')[0]!.trim().toLowerCase();

/** The kind a file of this type is sent as, when none is given; null for a type Meta does not take. */
export function kindForMime(mime: string): SendableKind | null {
  const base = baseMime(mime);
  for (const kind of SENDABLE_KINDS) if (MEDIA_LIMITS[kind].mimes.includes(base)) return kind;
  return null;
}

/** Readable size: 5 MB, 500 KB. */
export function formatBytes(bytes: number): string {
  return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
