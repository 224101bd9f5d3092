/**
 * The part of a Baileys socket the monitor uses, in Baileys' own shapes, so the real adapter is a
 * thin pass-through and the scripted fake in the tests emits exactly what Baileys emits.
 */

/** A Baileys `proto.IWebMessageInfo`, as far as the monitor reads it. */
export interface WaMessage {
  key: {
    id?: string | null;
    remoteJid?: string | null;
    participant?: string | null;
    fromMe?: boolean | null;
    /** Baileys 7: the participant's other identity (its phone jid when `participant` is an @lid, or the reverse). */
    participantAlt?: string | null;
    /** Earlier Baileys 7 release candidates: the alternates by name. */
    participantPn?: string | null;
    senderPn?: string | null;
    participantLid?: string | null;
    senderLid?: string | null;
  };
  messageTimestamp?: number | string | { toNumber(): number } | null;
  participant?: string | null;
  pushName?: string | null;
  message?: Record<string, unknown> | null;
}

/** A group participant (Baileys' Contact): `id` is an @lid or a phone jid; the other form, when known, in `lid` / `phoneNumber`. */
export interface WaParticipant {
  id: string;
  lid?: string | null;
  phoneNumber?: string | null;
}

export interface WaGroupMetadata {
  id: string;
  subject: string;
  participants?: WaParticipant[];
}

/** Baileys' `LIDMapping`. */
export interface WaLidMapping {
  lid: string;
  pn: string;
}

/** Baileys' `Partial<ConnectionState>`; a close carries a Boom error with `output.statusCode`. */
export interface WaConnectionUpdate {
  connection?: 'connecting' | 'open' | 'close';
  qr?: string;
  lastDisconnect?: { error?: { message?: string; output?: { statusCode?: number } } | Error; date?: Date };
  isNewLogin?: boolean;
}

export interface WaEvents {
  'connection.update': WaConnectionUpdate;
  'creds.update': Record<string, unknown>;
  'messages.upsert': { messages: WaMessage[]; type: string };
  'groups.upsert': WaGroupMetadata[];
  'groups.update': Partial<WaGroupMetadata>[];
  'lid-mapping.update': WaLidMapping;
}

export interface WaSocket {
  ev: { on<E extends keyof WaEvents>(event: E, listener: (arg: WaEvents[E]) => void): void };
  user?: { id: string; name?: string } | undefined;
  groupFetchAllParticipating(): Promise<Record<string, WaGroupMetadata>>;
  logout(): Promise<void>;
  end(error?: Error): void;
}

/** Baileys' `AuthenticationState`: creds plus a signal key store. */
export interface WaAuthState {
  creds: Record<string, unknown>;
  keys: {
    get(type: string, ids: string[]): Promise<Record<string, unknown>>;
    set(data: Record<string, Record<string, unknown | null>>): Promise<void>;
  };
}

/** Opens WhatsApp Web sessions and downloads their media. */
export interface WaConnector {
  /** Fresh creds for a session that has none (Baileys' initAuthCreds). */
  initCreds(): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Turns a stored key back into what the socket expects (Baileys revives app-state keys as protos). */
  reviveKey(type: string, value: unknown): unknown;
  connect(auth: WaAuthState): Promise<WaSocket>;
  /** The media of a message as a stream of chunks (decrypted). */
  download(socket: WaSocket, message: WaMessage): Promise<AsyncIterable<Uint8Array>>;
}

/** Baileys' DisconnectReason values the monitor acts on. */
export const DISCONNECT = { loggedOut: 401, timedOut: 408, restartRequired: 515 } as const;
