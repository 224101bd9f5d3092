/**
 * Issue 7 targets: `GET /api/messages` over 1,000,000 messages and 100,000 media rows, p99 under
 * 20 ms for the newest page of one group and for a kind filter, under 100 ms for a `q` trigram
 * search; group-message ingest ≥ 2,000 messages/s. Requests go over loopback HTTP to the real app.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { mintAccessToken } from '../src/auth/jwt.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { ingestMessages } from '../src/monitor/ingest/ingest.js';
import type { WaMessage } from '../src/monitor/session/port.js';
import type { MediaStore } from '../src/storage/store.js';
import { benchJwtKey, listenBenchApp, withBenchServer } from './harness.js';
import { httpLatencies as latencies, latencyRow, record, stats } from './lib.js';
import { monitorUi } from './monitor-ui.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const MEDIA = Math.round(MESSAGES / 10);
const GROUPS = 50;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const INGEST = Number(process.env.BENCH_MONITOR_INGEST ?? 20_000);
const WORDS = ['invoice', 'pallet', 'shipment', 'delivery', 'price', 'order', 'refund', 'meeting', 'photo', 'customer'];

/** Loads the archive with set-based SQL, indexes dropped during the load and rebuilt after. */
export async function load(pool: Pool): Promise<void> {
  const indexes = (await pool.query<{ name: string; def: string }>(
    `select indexname as name, indexdef as def from pg_indexes where schemaname = 'public' and tablename in ('messages', 'media')
       and indexname not in ('messages_pkey', 'media_pkey', 'messages_wa_msg_id_key', 'media_sha256_key')`)).rows;
  for (const index of indexes) await pool.query(`drop index public.${index.name}`);
  await pool.query(`insert into groups (wa_group_id, name, monitor) select '1203630000' || lpad(g::text, 5, '0') || '@g.us', 'Group ' || g, true from generate_series(1, ${GROUPS}) g`);
  await pool.query(`insert into media (sha256, mime, bytes, width, height, storage_path)
    select encode(sha256(g::text::bytea), 'hex'), 'image/jpeg', 20000 + g % 5000, 640, 480, 'wa-media/' || encode(sha256(g::text::bytea), 'hex') || '/original.jpg'
      from generate_series(1, ${MEDIA}) g`);
  await pool.query(`insert into messages (wa_msg_id, ts, chat_id, sender, kind, text, media_id, group_id)
    with media_ids as (select row_number() over (order by id) as n, id from media),
         group_ids as (select row_number() over (order by wa_group_id) - 1 as n, id, wa_group_id from groups)
    select 'BENCH' || g, timestamptz '2026-01-01' + g * interval '30 seconds', gr.wa_group_id, '55119' || (g % 997) || '@s.whatsapp.net',
           case when g % 10 = 0 then (array['image','video','audio','doc'])[1 + (g / 10) % 4] when g % 97 = 0 then 'other' else 'text' end,
           (array[${WORDS.map((w) => `'${w}'`).join(',')}])[1 + g % ${WORDS.length}] || ' ' || substr(md5(g::text), 1, 10) || ' note ' || g,
           mi.id, gr.id
      from generate_series(1, ${MESSAGES}) g
      -- (g + g / 10) spreads the media rows (every tenth g) over all groups, not a fifth of them.
      join group_ids gr on gr.n = (g + g / 10) % ${GROUPS}
      left join media_ids mi on g % 10 = 0 and mi.n = 1 + (g / 10) % ${MEDIA}`);
  await pool.query('set maintenance_work_mem = \'512MB\'');
  for (const index of indexes) await pool.query(index.def);
  await pool.query('vacuum analyze messages, media, groups');
}

/** Ingest of text batches of 100 with one small image in ten messages, through ingestMessages. */
async function ingestRate(pool: Pool, store: MediaStore, round: number): Promise<number> {
  const media = new Map<string, Uint8Array>();
  const batches: WaMessage[][] = [];
  for (let b = 0; b < INGEST / 100; b++) {
    batches.push(Array.from({ length: 100 }, (_, i) => {
      const n = b * 100 + i;
      const key = { remoteJid: `1203630000${String(1 + (n % GROUPS)).padStart(5, '0')}@g.us`, participant: `5511${n % 300}@s.whatsapp.net`, id: `ING${round}-${n}` };
      if (n % 10) return { key, messageTimestamp: 1_780_000_000 + n, message: { conversation: `${WORDS[n % WORDS.length]} live ${n}` } };
      media.set(key.id, randomBytes(8000));
      return { key, messageTimestamp: 1_780_000_000 + n, message: { imageMessage: { mimetype: 'image/jpeg', width: 10, height: 10, fileLength: 8000 } } };
    }));
  }
  const download = async (message: WaMessage) => (async function* chunks() {
    yield media.get(message.key.id!)!;
  })();
  const started = performance.now();
  // The worker ingests batches one after another, as Baileys delivers them.
  for (const batch of batches) await ingestMessages({ pool, store, mediaMaxBytes: 1_000_000, download }, batch);
  return INGEST / ((performance.now() - started) / 1000);
}

export function run(): Promise<void> {
  return withBenchServer({ port: 54940 }, async (server, work) => {
    const url = server.url();
    const pool = createPool(url, { max: 10 });
    const loadStarted = performance.now();
    await load(pool);
    console.log(`loaded ${MESSAGES} messages and ${MEDIA} media in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);

    const { app, base, mediaStore } = await listenBenchApp(pool, url, { STORAGE_LOCAL_DIR: path.join(work, 'storage'), OPS_ADMIN_EMAILS: 'bench@example.com' });
    const user = (await pool.query<{ id: string }>('insert into auth.users (email) values (\'bench@example.com\') returning id')).rows[0]!.id;
    await pool.query('insert into platform_admins (user_id, email) values ($1, \'bench@example.com\')', [user]);
    const token = await mintAccessToken(benchJwtKey, { sub: user, email: 'bench@example.com', expiresIn: 3600 });
    const groupIds = (await pool.query<{ id: string }>('select id from groups order by name')).rows.map((r) => r.id);

    const scenarios: [string, string[], number][] = [
      ['newest page of one group (limit 50)', groupIds.map((id) => `/api/messages?groupId=${id}&limit=50`), 20],
      ['kind filter (limit 50)', ['image', 'video', 'audio', 'doc', 'other'].map((kind) => `/api/messages?kind=${kind}&limit=50`), 20],
      ['group + kind, second page', groupIds.map((id, i) => `/api/messages?groupId=${id}&kind=${['image', 'video', 'audio', 'doc'][i % 4]}&limit=50&before=2026-06-01T00:00:00Z`), 20],
      ['q trigram search (limit 50)', [...WORDS, 'zebra', '4f3a', 'note 77777', 'INVOICE 1'].map((q) => `/api/messages?q=${encodeURIComponent(q)}&limit=50`), 100],
    ];
    const rows: string[] = [];
    for (const [name, urls, target] of scenarios) {
      await latencies(base, token, urls.slice(0, 20)); // warm-up
      const runs = [];
      for (let round = 0; round < 3; round++) runs.push(await latencies(base, token, urls));
      rows.push(latencyRow(name, runs, target));
    }
    await app.close();

    const ingestRuns = [];
    for (let round = 0; round < 3; round++) ingestRuns.push(await ingestRate(pool, mediaStore, round));
    const ing = stats(ingestRuns);
    const load1 = os.loadavg().map((n) => n.toFixed(2)).join(', ');
    const ui = process.env.BENCH_MONITOR_UI === '0' ? [] : await monitorUi(pool, url, work);
    const load2 = os.loadavg().map((n) => n.toFixed(2)).join(', ');
    await pool.end();

    const lines = [
      `### GET /api/messages: ${MESSAGES.toLocaleString('en')} messages, ${MEDIA.toLocaleString('en')} media, ${GROUPS} groups, local store; ${REQUESTS} sequential requests per run over loopback, 3 runs`,
      '',
      '| query | p50 median (min–max) | p99 median (min–max) | target | p99 / target |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      `### Group-message ingest: ${INGEST.toLocaleString('en')} messages in batches of 100 (one in ten an 8 KB image, stored and hashed), one worker`,
      '',
      '| measure | median (min–max, 3 runs) | target |',
      '|---|---|---|',
      `| messages/s | ${ing.median.toFixed(0)} (${ing.min.toFixed(0)}–${ing.max.toFixed(0)}) | ≥ 2,000: ${ing.median >= 2000 ? 'met' : 'not met'} (${(ing.median / 2000).toFixed(2)}× the target) |`,
      '',
      ...ui,
      '',
      `Load average (1, 5, 15 min) before the page measurements: ${load1}; after: ${load2} (2 cores, shared with other work).`,
    ];
    record('Group monitor', lines);
    console.log(lines.join('\n'));
  });
}
