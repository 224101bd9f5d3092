import type pg from 'pg';
import { ConflictError } from '../errors.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface ThreadRef {
  id: string;
  workspace_id: string;
  phone_number_id: string;
  connection_id: string | null;
  contact_wa_id: string;
}

export interface ConnectionRef {
  id: string;
  phone_number_id: string;
  status: string;
}

/**
 * The connection a reply must go out on (seed 000's resolveConnectionForThread): the thread's
 * connection_id first, deterministic; else the workspace's connection with the thread's
 * phone_number_id, backfilling connection_id. 409 connection_not_found / connection_inactive.
 */
export async function resolveConnectionForThread(db: Queryable, thread: ThreadRef): Promise<ConnectionRef> {
  let connection: ConnectionRef | undefined;
  if (thread.connection_id) {
    connection = (await db.query<ConnectionRef>('select id, phone_number_id, status from public.wa_phone_numbers where id = $1', [
      thread.connection_id,
    ])).rows[0];
  } else {
    connection = (await db.query<ConnectionRef>(
      'select id, phone_number_id, status from public.wa_phone_numbers where workspace_id = $1 and phone_number_id = $2',
      [thread.workspace_id, thread.phone_number_id],
    )).rows[0];
    if (connection) await db.query('update public.wa_threads set connection_id = $1 where id = $2', [connection.id, thread.id]);
  }
  if (!connection) throw new ConflictError('connection_not_found', 'The WhatsApp connection of this thread no longer exists');
  if (connection.status !== 'active') throw new ConflictError('connection_inactive', 'The WhatsApp connection of this thread is inactive');
  return connection;
}
