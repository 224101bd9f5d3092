import type pg from 'pg';
import type { Logger } from '../../log.js';
import { bufferReviver, fromJson, toJson } from './buffer-json.js';
import type { WaAuthState, WaConnector } from './port.js';
import { patchKeys, readSession, saveCreds } from './session-row.js';

export interface DbAuthState {
  state: WaAuthState;
  /** Persists the creds object as it is now (Baileys mutates it, then emits creds.update). */
  saveCreds(): Promise<void>;
  /** Whether these creds completed pairing (a QR was scanned). */
  registered: boolean;
  /** Resolves when every queued write has reached the database. */
  flush(): Promise<void>;
}

/**
 * Baileys auth state kept in the single wa_sessions row (`creds_json`, `keys_json`), never in local
 * files, so any worker machine can resume the session. Keys are cached in memory; writes are
 * queued in order, one statement each.
 */
export async function loadAuthState(pool: Pick<pg.Pool, 'query'>, connector: Pick<WaConnector, 'initCreds' | 'reviveKey'>, logger: Logger): Promise<DbAuthState> {
  const row = await readSession(pool);
  const stored = fromJson<Record<string, unknown>>(row.creds);
  const creds = Object.keys(stored).length > 0 ? stored : await connector.initCreds();
  const keys = new Map(Object.entries(fromJson<Record<string, unknown>>(row.keys)));
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (write: () => Promise<void>) => {
    queue = queue.then(write).catch((error: unknown) => logger.error({ err: error }, 'saving WhatsApp auth state failed'));
    return queue;
  };
  return {
    registered: Boolean(stored.me),
    state: {
      creds,
      keys: {
        async get(type, ids) {
          const found: Record<string, unknown> = {};
          for (const id of ids) {
            const value = keys.get(`${type}-${id}`);
            if (value !== undefined) found[id] = connector.reviveKey(type, JSON.parse(JSON.stringify(value), bufferReviver));
          }
          return found;
        },
        set(data) {
          const changed: Record<string, unknown> = {};
          const removed: string[] = [];
          for (const [type, entries] of Object.entries(data)) {
            for (const [id, value] of Object.entries(entries)) {
              const name = `${type}-${id}`;
              if (value === null || value === undefined) {
                keys.delete(name);
                removed.push(name);
              } else {
                const json = JSON.parse(toJson(value)) as unknown;
                keys.set(name, json);
                changed[name] = json;
              }
            }
          }
          return enqueue(() => patchKeys(pool, JSON.stringify(changed), removed));
        },
      },
    },
    saveCreds: () => enqueue(() => saveCreds(pool, toJson(creds))),
    flush: () => queue,
  };
}
