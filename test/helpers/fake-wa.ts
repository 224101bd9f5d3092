import { EventEmitter } from 'node:events';
import type { WaAuthState, WaConnector, WaEvents, WaGroupMetadata, WaMessage, WaSocket } from '../../src/monitor/session/port.js';

/**
 * A scripted stand-in for a Baileys socket: the test emits Baileys-shaped events through it and
 * reads what the monitor did with them. Media bytes are served per message id.
 */
export class FakeSocket implements WaSocket {
  readonly emitter = new EventEmitter();
  readonly ev = { on: <E extends keyof WaEvents>(event: E, listener: (arg: WaEvents[E]) => void) => void this.emitter.on(event, listener) };
  user: { id: string; name?: string } | undefined;
  groups: Record<string, WaGroupMetadata> = {};
  ended = false;
  loggedOut = false;
  constructor(readonly auth: WaAuthState) {}
  emit<E extends keyof WaEvents>(event: E, arg: WaEvents[E]) {
    this.emitter.emit(event, arg);
  }

  async groupFetchAllParticipating() {
    return this.groups;
  }

  async logout() {
    this.loggedOut = true;
  }

  end() {
    this.ended = true;
  }
}

/** A connector whose sockets are FakeSockets; `sockets` lists each connect in order. */
export function fakeConnector(options: { failConnect?: () => boolean } = {}) {
  const sockets: FakeSocket[] = [];
  const media = new Map<string, Uint8Array>();
  const downloads: string[] = [];
  const connector: WaConnector = {
    initCreds: () => ({ noiseKey: { private: Buffer.from('fake-private-key'), public: Buffer.from('fake-public-key') }, registrationId: 7 }),
    reviveKey: (_type, value) => value,
    async connect(auth) {
      if (options.failConnect?.()) throw new Error('connect failed (scripted)');
      const socket = new FakeSocket(auth);
      sockets.push(socket);
      return socket;
    },
    async download(_socket, message: WaMessage) {
      const id = message.key.id!;
      downloads.push(id);
      const bytes = media.get(id);
      if (!bytes) throw new Error(`no media scripted for ${id}`);
      return (async function* chunks() {
        for (let at = 0; at < bytes.length; at += 16_384) yield bytes.subarray(at, at + 16_384);
      })();
    },
  };
  return { connector, sockets, media, downloads, last: () => sockets.at(-1)! };
}

let counter = 0;
const nextId = () => `3EB0${(++counter).toString(16).padStart(12, '0').toUpperCase()}`;

/** Baileys-shaped messages (proto.IWebMessageInfo as plain objects). */
export const wa = {
  text(chat: string, sender: string, text: string, seconds: number, id = nextId()): WaMessage {
    return { key: { remoteJid: chat, participant: sender, id, fromMe: false }, messageTimestamp: seconds, pushName: 'Someone', message: { conversation: text } };
  },
  extendedText(chat: string, sender: string, text: string, seconds: number, id = nextId()): WaMessage {
    return {
      key: { remoteJid: chat, participant: sender, id },
      messageTimestamp: seconds,
      message: { extendedTextMessage: { text, contextInfo: {} }, messageContextInfo: {} },
    };
  },
  image(chat: string, sender: string, seconds: number, fields: { caption?: string; fileLength?: number; id?: string } = {}): WaMessage {
    return {
      key: { remoteJid: chat, participant: sender, id: fields.id ?? nextId() },
      messageTimestamp: seconds,
      message: {
        imageMessage: {
          mimetype: 'image/jpeg', caption: fields.caption, width: 640, height: 480, fileLength: fields.fileLength ?? 3000,
          mediaKey: Buffer.from('k'), url: 'https://mmg.whatsapp.net/x',
        },
      },
    };
  },
  video(chat: string, sender: string, seconds: number, id = nextId()): WaMessage {
    const videoMessage = { mimetype: 'video/mp4', seconds: 12, width: 1280, height: 720, fileLength: 5000 };
    return { key: { remoteJid: chat, participant: sender, id }, messageTimestamp: seconds, message: { videoMessage } };
  },
  audio(chat: string, sender: string, seconds: number, id = nextId()): WaMessage {
    const audioMessage = { mimetype: 'audio/ogg; codecs=opus', seconds: 7, ptt: true, fileLength: 900 };
    return { key: { remoteJid: chat, participant: sender, id }, messageTimestamp: seconds, message: { audioMessage } };
  },
  document(chat: string, sender: string, seconds: number, id = nextId()): WaMessage {
    return {
      key: { remoteJid: chat, participant: sender, id },
      messageTimestamp: seconds,
      message: { documentWithCaptionMessage: { message: { documentMessage: { mimetype: 'application/pdf', fileName: 'invoice.pdf', caption: 'the invoice', fileLength: 2000 } } } },
    };
  },
  sticker(chat: string, sender: string, seconds: number, id = nextId()): WaMessage {
    const stickerMessage = { mimetype: 'image/webp', width: 512, height: 512, fileLength: 400 };
    return { key: { remoteJid: chat, participant: sender, id }, messageTimestamp: seconds, message: { stickerMessage } };
  },
  reaction(chat: string, sender: string, seconds: number, target: string, emoji = '👍', id = nextId()): WaMessage {
    // Baileys hands timestamps over as protobuf Longs.
    const messageTimestamp = { toNumber: () => seconds } as never;
    const reactionMessage = { key: { id: target, remoteJid: chat }, text: emoji };
    return { key: { remoteJid: chat, participant: sender, id }, messageTimestamp, message: { reactionMessage } };
  },
  /** The same message with its sender's other identity on the key, as Baileys 7 sends it (`participantAlt`). */
  withAlt(message: WaMessage, alt: string, field: 'participantAlt' | 'participantPn' | 'senderPn' = 'participantAlt'): WaMessage {
    return { ...message, key: { ...message.key, [field]: alt } };
  },
  /** A key-distribution-only message: Baileys emits these, they carry no content. */
  keyExchange(chat: string, sender: string, seconds: number): WaMessage {
    const message = { senderKeyDistributionMessage: { groupId: chat } };
    return { key: { remoteJid: chat, participant: sender, id: nextId() }, messageTimestamp: seconds, message };
  },
};
