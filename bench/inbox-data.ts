/** The inbox bench's workspace: 100,000 threads with 1,000,000 messages, tags, statuses and assignees. */
import { hashPassword } from '../src/auth/passwords.js';
import { upsertUser } from '../src/auth/users.js';
import type { Pool } from '../src/db/pool.js';
import { sign } from '../src/hub/webhook/signature.js';
import { textWebhookBody } from './webhook-body.js';

export const THREADS = Number(process.env.BENCH_THREADS ?? 100_000);
export const MESSAGES_PER_THREAD = 10;
export const PROBES = 100;
export const AGENT = { email: 'agent-0@inbox-bench.example', password: 'bench password 123' };

const FIRST = ['Sari', 'Budi', 'Dewi', 'Agus', 'Rina', 'Joko', 'Wayan', 'Made', 'Putri', 'Eko', 'Siti', 'Andi', 'Nur', 'Dian', 'Rudi', 'Tono'];
const LAST = ['Santoso', 'Wijaya', 'Lestari', 'Hidayat', 'Saputra', 'Kusuma', 'Pratama', 'Wibowo', 'Gunawan', 'Halim'];
const WORDS = ['pesanan', 'pembayaran', 'pengiriman', 'harga', 'stok', 'ukuran', 'warna', 'alamat', 'resi', 'promo'];
const list = (words: string[]) => `array[${words.map((w) => `'${w}'`).join(', ')}]`;

export interface InboxData {
  workspaceId: string;
  connectionId: string;
  agentId: string;
  memberIds: string[];
  /** Threads reserved for latency probes: contact `62899000<k>`, one message each, oldest activity. */
  probeThreads: { id: string; contact: string }[];
  sampleThreadIds: string[];
}

/**
 * Loads the data with triggers off (`session_replication_role = replica`): the realtime NOTIFY
 * triggers would otherwise queue a million events no one listens to; the rows are the same.
 */
export async function loadInbox(pool: Pool): Promise<InboxData> {
  const workspaceId = (await pool.query('insert into workspaces (slug, name) values (\'inbox-bench\', \'Inbox bench\') returning id')).rows[0].id as string;
  const connectionId = (await pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id, display_phone_number) values ($1, \'PN-BENCH\', \'+62 800 0000\') returning id', [workspaceId])).rows[0].id as string;
  const passwordHash = await hashPassword(AGENT.password);
  const memberIds: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { id } = (await upsertUser(pool, `agent-${i}@inbox-bench.example`, { passwordHash, confirmed: true })).user;
    await pool.query('insert into workspace_memberships (workspace_id, user_id, role) values ($1, $2, $3)', [workspaceId, id, i === 0 ? 'owner' : 'agent']);
    memberIds.push(id);
  }
  const client = await pool.connect();
  try {
    await client.query('set session_replication_role = replica');
    await client.query(
      `insert into wa_threads (workspace_id, phone_number_id, connection_id, contact_wa_id, contact_name, status, assigned_to, unread_count,
                               last_message_preview, last_message_at, created_at, updated_at)
       select $1, 'PN-BENCH', $2, '62812' || lpad(g::text, 7, '0'),
              (${list(FIRST)})[1 + g % 16] || ' ' || (${list(LAST)})[1 + (g / 16) % 10],
              (array['open', 'open', 'open', 'open', 'open', 'pending', 'pending', 'closed', 'closed', 'closed'])[1 + g % 10],
              case when g % 5 = 0 then null else ($3::uuid[])[1 + (g / 5) % 5] end, g % 3,
              (${list(WORDS)})[1 + g % 10] || ' nomor ' || g, now() - make_interval(secs => g * 30), now() - make_interval(secs => g * 30 + 86400), now()
         from generate_series(1, $4::int) g`,
      [workspaceId, connectionId, memberIds, THREADS],
    );
    await client.query(
      `insert into wa_thread_tags (thread_id, workspace_id, tag)
       select t.id, t.workspace_id, tag from wa_threads t
         cross join lateral (values ('urgent', 20, 0), ('vip', 20, 1), ('billing', 7, 0)) v(tag, every, rest)
        where t.workspace_id = $1 and substr(t.contact_wa_id, 6)::int % v.every = v.rest`,
      [workspaceId],
    );
    await client.query(
      `insert into wa_messages (workspace_id, thread_id, phone_number_id, wa_message_id, direction, type, text, status, created_at)
       select t.workspace_id, t.id, 'PN-BENCH', 'wamid.bench.' || t.contact_wa_id || '.' || k, case when k % 2 = 0 then 'in' else 'out' end, 'text',
              (${list(WORDS)})[1 + k] || ' ' || t.contact_wa_id, case when k % 2 = 0 then 'received' else 'read' end, t.last_message_at - make_interval(mins => k)
         from wa_threads t cross join generate_series(0, $2::int - 1) k where t.workspace_id = $1`,
      [workspaceId, MESSAGES_PER_THREAD],
    );
    const probes = await client.query<{ id: string; contact: string }>(
      `insert into wa_threads (workspace_id, phone_number_id, connection_id, contact_wa_id, contact_name, last_message_preview, last_message_at)
       select $1, 'PN-BENCH', $2, '62899000' || k, 'Probe ' || k, 'probe', now() - interval '400 days' from generate_series(1, $3::int) k
       returning id, contact_wa_id as contact`,
      [workspaceId, connectionId, PROBES],
    );
    // What the (switched off) row triggers would have kept: the search text and each tag's status.
    await client.query(
      `update wa_threads set search_text = lower(coalesce(contact_name, '') || ' ' || contact_wa_id || ' ' || coalesce(last_message_preview, ''))
        where workspace_id = $1`,
      [workspaceId],
    );
    await client.query('update wa_thread_tags tt set status = t.status from wa_threads t where t.id = tt.thread_id and tt.workspace_id = $1', [workspaceId]);
    await client.query('set session_replication_role = origin');
    await client.query('vacuum analyze wa_threads, wa_thread_tags, wa_messages');
    const sample = await client.query<{ id: string }>('select id from wa_threads where workspace_id = $1 and contact_wa_id like \'62812%\' order by random() limit 50', [workspaceId]);
    return { workspaceId, connectionId, agentId: memberIds[0]!, memberIds, probeThreads: probes.rows, sampleThreadIds: sample.rows.map((r) => r.id) };
  } finally {
    client.release();
  }
}

/** A signed single-message webhook from `contact` to the bench number, as Meta sends it. */
export function probeWebhook(secret: string, contact: string, text: string, wamid: string) {
  const body = textWebhookBody('PN-BENCH', { waId: contact, name: `Probe ${contact}` }, wamid, text);
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, secret) } };
}
