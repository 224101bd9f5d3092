import type { WaMessage } from '../session/port.js';

/** Seed 001's `messages.kind`. */
export type MessageKind = 'text' | 'image' | 'video' | 'audio' | 'doc' | 'other';

export interface MediaRef {
  mime: string;
  /** As WhatsApp announces it; the stored size is what was actually downloaded. */
  fileLength: number | null;
  width: number | null;
  height: number | null;
  durationS: number | null;
  fileName: string | null;
}

/** A group message as the archive stores it. */
export interface InboundMessage {
  waMsgId: string;
  chatId: string;
  sender: string;
  ts: Date;
  kind: MessageKind;
  text: string | null;
  media: MediaRef | null;
  /** The message as WhatsApp sent it: stored as `raw` (binary as base64), and used to download its media. */
  source: WaMessage;
}

/** Wrappers whose inner `message` is the content. */
const WRAPPERS = ['ephemeralMessage', 'viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension', 'documentWithCaptionMessage', 'editedMessage'];
/** Keys that ride along with content but are not content themselves. */
const NOT_CONTENT = new Set(['messageContextInfo', 'senderKeyDistributionMessage', 'protocolMessage']);
const MEDIA: Record<string, MessageKind> = {
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'doc',
  stickerMessage: 'other',
};

type Fields = Record<string, unknown>;

function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && 'toNumber' in value) return (value as { toNumber(): number }).toNumber();
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

// PostgreSQL text and jsonb cannot hold NUL; WhatsApp text can.
const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

function unwrap(message: Fields): Fields {
  let current = message;
  for (let depth = 0; depth < 5; depth++) {
    const wrapper = WRAPPERS.find((name) => (current[name] as Fields | undefined)?.message);
    if (!wrapper) break;
    current = (current[wrapper] as { message: Fields }).message;
  }
  return current;
}

function mediaRef(type: string, content: Fields): MediaRef {
  return {
    mime: str(content.mimetype) ?? (type === 'stickerMessage' ? 'image/webp' : 'application/octet-stream'),
    fileLength: num(content.fileLength),
    width: num(content.width),
    height: num(content.height),
    durationS: num(content.seconds),
    fileName: str(content.fileName),
  };
}

/**
 * Maps a Baileys message to what the archive stores, or null when it is not a group message with
 * content (status broadcasts, direct chats, protocol messages such as revokes and key exchanges).
 */
export function toInbound(message: WaMessage): InboundMessage | null {
  const chatId = message.key.remoteJid;
  const waMsgId = message.key.id;
  if (!chatId?.endsWith('@g.us') || !waMsgId || !message.message) return null;
  const content = unwrap(message.message);
  const type = Object.keys(content).find((name) => !NOT_CONTENT.has(name) && content[name]);
  if (!type) return null;
  const body = (content[type] ?? {}) as Fields;
  let kind: MessageKind = 'other';
  let text: string | null = null;
  let media: MediaRef | null = null;
  if (type === 'conversation') {
    kind = 'text';
    text = str(content.conversation);
  } else if (type === 'extendedTextMessage') {
    kind = 'text';
    text = str(body.text);
  } else if (MEDIA[type]) {
    kind = MEDIA[type];
    text = str(body.caption);
    media = mediaRef(type, body);
  } else if (type === 'reactionMessage') {
    text = str(body.text);
  } else {
    text = str(body.caption) ?? str(body.name) ?? str(body.text);
  }
  const seconds = num(message.messageTimestamp);
  return {
    waMsgId,
    chatId,
    sender: message.key.participant ?? message.participant ?? chatId,
    ts: seconds ? new Date(seconds * 1000) : new Date(),
    kind,
    text,
    media,
    source: message,
  };
}
