import type { Logger } from '../../log.js';
import type { WaConnector, WaMessage, WaSocket } from './port.js';

/**
 * The real WhatsApp Web connection, on @whiskeysockets/baileys. Kept to a pass-through: events
 * and shapes are Baileys' own (see port.ts), so the scripted fake in the tests covers the mapping.
 * Baileys is imported on first connect: it takes about half a second to load.
 */
export function baileysConnector(logger: Logger): WaConnector {
  let loaded: typeof import('@whiskeysockets/baileys') | undefined;
  const load = async () => (loaded ??= await import('@whiskeysockets/baileys'));
  // Baileys logs at trace level freely; keep its lines at warn and above, tagged.
  const baileysLogger = logger.child({ module: 'baileys' }, { level: 'warn' });
  return {
    initCreds: async () => (await load()).initAuthCreds() as unknown as Record<string, unknown>,
    // Only called once a socket exists, so Baileys is loaded by then.
    reviveKey: (type, value) => (type === 'app-state-sync-key' && value && loaded ? loaded.proto.Message.AppStateSyncKeyData.fromObject(value as object) : value),
    async connect(auth) {
      const baileys = await load();
      const makeWASocket = baileys.default;
      const { version } = await baileys.fetchLatestBaileysVersion().catch(() => ({ version: undefined }));
      const socket = makeWASocket({
        ...(version ? { version } : {}),
        auth: {
          creds: auth.creds as never,
          keys: baileys.makeCacheableSignalKeyStore(auth.keys as never, baileysLogger as never),
        },
        logger: baileysLogger as never,
        browser: baileys.Browsers.ubuntu('wabase'),
        markOnlineOnConnect: false,
        syncFullHistory: false,
        // Only groups are archived; skip decrypting everything else.
        shouldIgnoreJid: (jid: string) => !jid.endsWith('@g.us'),
      });
      return socket as unknown as WaSocket;
    },
    async download(socket, message: WaMessage) {
      const baileys = await load();
      const real = socket as unknown as ReturnType<typeof baileys.default>;
      return baileys.downloadMediaMessage(message as never, 'stream', {}, {
        reuploadRequest: real.updateMediaMessage,
        logger: baileysLogger as never,
      });
    },
  };
}
