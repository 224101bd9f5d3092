import { randomBytes } from 'node:crypto';
import { encryptSecret } from '../../src/hub/crypto.js';
import { mediaArchiveTask } from '../../src/hub/media/archive-task.js';
import { graphMedia } from '../../src/hub/media/graph-media.js';
import type { MediaStore } from '../../src/storage/store.js';
import type { TestDatabase } from './db.js';
import { serverLogger } from './run-log.js';
import { registerSecret } from './secrets.js';
import { one } from './sql.js';

export const encryptionKey = randomBytes(32);

/** A connection with an encrypted token; returns its id. */
export async function mediaConnection(db: TestDatabase, workspaceId: string, phoneNumberId: string, token: string): Promise<string> {
  registerSecret(token, 'connection access token');
  return (await one<{ id: string }>(db.pool,
    'insert into wa_phone_numbers (workspace_id, phone_number_id, access_token_enc) values ($1, $2, $3) returning id',
    [workspaceId, phoneNumberId, encryptSecret(encryptionKey, token)])).id;
}

/** A Meta-shaped inbound media message change. */
export function mediaChange(
  phoneNumberId: string, from: string, kind: string, media: Record<string, unknown>, wamid: string, timestamp = Math.floor(Date.now() / 1000),
) {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
      contacts: [{ profile: { name: 'Dewi' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(timestamp), type: kind, [kind]: media }],
    },
  };
}

/** The media archive task against the fake Graph server, started; `stop()` ends it. */
export function startArchiver(
  db: TestDatabase, store: MediaStore, graphUrl: string, options: { retryDelay?: (attempt: number) => number; concurrency?: number; key?: Buffer } = {},
) {
  const task = mediaArchiveTask({
    pool: db.pool, url: db.url, store, graph: graphMedia({ baseUrl: graphUrl, version: 'v21.0' }), encryptionKey: options.key ?? encryptionKey,
    logger: serverLogger(), pollMs: 50, ...options,
  });
  const controller = new AbortController();
  // At the file's end the test database's pool may end first: that round's error is not a failure.
  const done = task.run(controller.signal).catch((error: unknown) => {
    if (!controller.signal.aborted && !/pool after calling end/.test(String(error))) throw error;
  });
  return {
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

export async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A multipart body for app.inject, as a browser's FormData sends it. */
export async function multipart(fields: Record<string, string | { bytes: Buffer; type: string; name: string }>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.set(name, value);
    else form.set(name, new Blob([value.bytes], { type: value.type }), value.name);
  }
  const response = new Response(form);
  return { payload: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}
