import { beforeCondition, isKeysetId, isKeysetTimestamp, nextBefore } from '../db/cursor.js';
import { z } from 'zod';
import type { Pool } from '../db/pool.js';
import { type UserClaims, withUser } from '../db/with-user.js';
import { InputError, NotFoundError } from '../errors.js';
import { containsPattern } from '../db/like.js';
import { customerWindowOf } from './customer-window.js';
import { workspaceNotFound } from './membership.js';

export const threadQuery = z.object({
  workspaceId: z.uuid(),
  status: z.enum(['open', 'pending', 'closed']).optional(),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
  tag: z.string().trim().min(1).max(64).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const threadPatch = z.object({
  status: z.enum(['open', 'pending', 'closed']).optional(),
  assignedTo: z.uuid().nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(64)).max(20).optional(),
  read: z.literal(true).optional(),
});

/** A thread as the inbox shows it (the columns of THREAD). */
export interface Thread {
  id: string;
  workspaceId: string;
  connectionId: string | null;
  phoneNumberId: string;
  contactWaId: string;
  contactName: string | null;
  status: 'open' | 'pending' | 'closed';
  assignedTo: string | null;
  unreadCount: number;
  lastMessagePreview: string | null;
  lastMessageAt: Date | null;
  /** When the customer service window closes (last inbound + 24 h); null: the customer never wrote. */
  customerWindowExpiresAt: Date | null;
  /** Whether free-form messages may be sent now (else only templates). */
  customerWindowOpen: boolean;
  tags: string[];
}

type ThreadRow = Omit<Thread, 'customerWindowOpen'>;
const withWindow = (row: ThreadRow): Thread => ({ ...row, customerWindowOpen: customerWindowOf(row.customerWindowExpiresAt).open });

/** A message as a thread shows it. */
export interface ThreadMessage {
  id: string;
  direction: 'in' | 'out';
  type: string;
  text: string | null;
  status: 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';
  waMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  statusAt: Date | null;
  createdAt: Date;
  /** The message this one quotes (a reply's `context`), when it is in this workspace. */
  replyTo: { id: string | null; waMessageId: string; direction: 'in' | 'out' | null; text: string | null; type: string | null } | null;
  /** Reactions on this message: the customer's (in) and the business's (out). */
  reactions: { direction: 'in' | 'out'; emoji: string }[];
  /** `pricing.category` of Meta's newest status webhook carrying one (the object is stored whole). */
  pricingCategory: string | null;
}

/** The columns of a Thread, from a wa_threads row (alias `from`, '' for a function's output row). */
const threadColumns = (from: string) => `${from}id, ${from}workspace_id as "workspaceId", ${from}connection_id as "connectionId",
  ${from}phone_number_id as "phoneNumberId", ${from}contact_wa_id as "contactWaId", ${from}contact_name as "contactName", ${from}status,
  ${from}assigned_to as "assignedTo", ${from}unread_count as "unreadCount", ${from}last_message_preview as "lastMessagePreview",
  ${from}last_message_at as "lastMessageAt", ${from}customer_window_expires_at as "customerWindowExpiresAt"`;

const THREAD = `${threadColumns('t.')},
  coalesce((select array_agg(tt.tag order by tt.tag) from public.wa_thread_tags tt where tt.thread_id = t.id), '{}') as tags`;

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: unknown; id: unknown };
    // The sort key as Postgres prints a timestamptz (or -infinity), and a thread id.
    const at = typeof value.at === 'string' && (value.at === '-infinity' || isKeysetTimestamp(value.at));
    if (at && typeof value.id === 'string' && isKeysetId(value.id)) return { at: value.at as string, id: value.id };
  } catch {}
  throw new InputError('cursor: not a cursor this API returned');
}

/** The inbox: a member's threads with filters and keyset paging, under RLS; a non-member gets workspace_not_found. */
export async function listThreads(
  pool: Pool,
  user: UserClaims,
  query: z.output<typeof threadQuery>,
): Promise<{ threads: Thread[]; nextCursor: string | null }> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const assignee = query.assignee === 'me' ? user.sub : query.assignee;
  const pattern = query.q ? containsPattern(query.q) : null;
  // One statement: wa_inbox_threads checks membership (P0002 workspace_not_found otherwise), applies
  // only the filters that are set, and returns the rows with their tags.
  const rows = await withUser(pool, user, async (client) =>
    (await client.query<ThreadRow & { sort_at: string }>(
      `select ${threadColumns('')}, tags, sort_at::text as sort_at
       from public.wa_inbox_threads($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [query.workspaceId, query.status ?? null, assignee === 'unassigned' ? null : assignee ?? null, assignee === 'unassigned',
        query.tag ?? null, pattern, cursor?.at ?? null, cursor?.id ?? null, query.limit + 1],
    ).catch(workspaceNotFound)).rows);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  // The sort key travels as Postgres prints it, so it compares back exactly (-infinity included).
  const nextCursor = rows.length > query.limit && last
    ? Buffer.from(JSON.stringify({ at: last.sort_at, id: last.id })).toString('base64url')
    : null;
  return { threads: page.map(({ sort_at: _sortAt, ...thread }) => withWindow(thread)), nextCursor };
}

/** One thread as the list shows it; 404 when it does not exist or is another workspace's. */
export async function getThread(pool: Pool, user: UserClaims, threadId: string): Promise<Thread> {
  const row = await withUser(pool, user, async (client) =>
    (await client.query<ThreadRow>(`select ${THREAD} from public.wa_threads t where t.id = $1`, [threadId])).rows[0]);
  if (!row) throw new NotFoundError('thread_not_found', 'Thread not found');
  return withWindow(row);
}

/** Messages of a thread, newest first, `before` a message time for older pages. */
export async function listMessages(
  pool: Pool,
  user: UserClaims,
  threadId: string,
  options: { before?: string; limit: number },
): Promise<{ messages: ThreadMessage[]; nextBefore: string | null }> {
  // Keyset on (created_at, id): Meta's timestamps are whole seconds, so many messages share one,
  // and paging on time alone skipped them.
  const params: unknown[] = [threadId, options.limit];
  const param = (value: unknown) => `$${params.push(value)}`;
  const before = options.before ? `and ${beforeCondition(options.before, 'created_at', 'id', param)}` : '';
  return withUser(pool, user, async (client) => {
    const result = await client.query<ThreadMessage & { cursor: string }>(
      `select m.id, m.direction, m.type, m.text, m.status, m.wa_message_id as "waMessageId", m.error_code as "errorCode",
              m.error_message as "errorMessage", m.status_at as "statusAt", m.created_at as "createdAt", to_json(m.created_at) #>> '{}' as cursor,
              case when m.context_wa_message_id is null then null
                   else json_build_object('id', q.id, 'waMessageId', m.context_wa_message_id, 'direction', q.direction, 'text', q.text, 'type', q.type) end as "replyTo",
              coalesce((select json_agg(json_build_object('direction', r.direction, 'emoji', r.emoji) order by r.direction)
                        from public.wa_message_reactions r where r.message_id = m.id), '[]'::json) as reactions,
              m.pricing ->> 'category' as "pricingCategory"
       from (select * from public.wa_messages where thread_id = $1 ${before}
             order by created_at desc, id desc limit $2) m
         left join public.wa_messages q on q.workspace_id = m.workspace_id and q.wa_message_id = m.context_wa_message_id
       order by m.created_at desc, m.id desc`,
      params,
    );
    // Only an empty page asks whether the thread is there at all (RLS hides another workspace's),
    // so a page of messages costs one query.
    if (result.rowCount === 0 && (await client.query('select 1 from public.wa_threads where id = $1', [threadId])).rowCount === 0) {
      throw new NotFoundError('thread_not_found', 'Thread not found');
    }
    return { messages: result.rows.map(({ cursor: _cursor, ...message }) => message), nextBefore: nextBefore(result.rows, options.limit) };
  });
}

/** Status, assignee, tags (replaced) and read (unread_count back to 0), in one transaction as the user. */
export async function updateThread(pool: Pool, user: UserClaims, threadId: string, patch: z.output<typeof threadPatch>): Promise<Thread> {
  return withUser(pool, user, async (client) => {
    const found = await client.query<{ workspace_id: string; unread_count: number }>(
      'select workspace_id, unread_count from public.wa_threads where id = $1 for update', [threadId]);
    const workspaceId = found.rows[0]?.workspace_id;
    if (!workspaceId) throw new NotFoundError('thread_not_found', 'Thread not found');
    if (patch.assignedTo) {
      const member = await client.query('select 1 from public.workspace_memberships where workspace_id = $1 and user_id = $2', [workspaceId, patch.assignedTo]);
      if (member.rowCount === 0) throw new InputError('assignedTo: not a member of this workspace');
    }
    await client.query(
      `update public.wa_threads set
         status = coalesce($2, status),
         assigned_to = case when $3 then $4::uuid else assigned_to end,
         unread_count = case when $5 then 0 else unread_count end,
         updated_at = now()
       where id = $1`,
      [threadId, patch.status ?? null, patch.assignedTo !== undefined, patch.assignedTo ?? null, patch.read === true],
    );
    // Opening a thread with unread messages: the newest inbound one is marked read at Meta, once,
    // through the outbox (unless the workspace turned read receipts off).
    if (patch.read === true && found.rows[0]!.unread_count > 0) await client.query('select public.wa_queue_read_receipt($1)', [threadId]);
    if (patch.tags) {
      const tags = [...new Set(patch.tags)];
      await client.query('delete from public.wa_thread_tags where thread_id = $1 and not (tag = any($2))', [threadId, tags]);
      await client.query(
        `insert into public.wa_thread_tags (thread_id, workspace_id, tag) select $1, $2, unnest($3::text[]) on conflict do nothing`,
        [threadId, workspaceId, tags],
      );
    }
    return withWindow((await client.query<ThreadRow>(`select ${THREAD} from public.wa_threads t where t.id = $1`, [threadId])).rows[0]!);
  });
}
