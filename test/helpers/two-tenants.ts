import type { Pool } from '../../src/db/pool.js';
import { testUser } from './app.js';
import type { TestDatabase } from './db.js';
import { registerSecret } from './secrets.js';
import { createWorkspace, one } from './sql.js';

/** What one tenant owns: a member, an active connection, a thread with a tag and a message, a saved view. */
export interface Tenant {
  user: { id: string; token: string; email: string };
  workspace: string;
  connection: string;
  thread: string;
  message: string;
  view: string;
  /** Text only this tenant's rows hold: it must never show up in another tenant's answer. */
  marker: string;
}

async function tenant(db: TestDatabase, name: string): Promise<Tenant> {
  const user = await testUser(db, `${name}@tenants.example`);
  const workspace = await createWorkspace(db.pool, `tenant-${name}`, [user.id]);
  const marker = `${name.toUpperCase()}-PRIVATE-${workspace.slice(0, 8)}`;
  const token = `access-token-of-${name}-${workspace}`;
  registerSecret(token, 'connection access token (two-tenants)');
  const q = async (text: string, params: unknown[]) => (await one<{ id: string }>(db.pool, text, params)).id;
  const connection = await q('insert into wa_phone_numbers (workspace_id, phone_number_id, display_name, access_token_enc) values ($1, $2, $3, $4) returning id',
    [workspace, `PN-${name}`, marker, token]);
  const thread = await q(`insert into wa_threads (workspace_id, connection_id, phone_number_id, contact_wa_id, contact_name, status, unread_count, last_message_preview, last_message_at, last_inbound_at, customer_window_expires_at)
    values ($1, $2, $3, '6281000', $4, 'open', 3, $4, now(), now(), now() + interval '1 day') returning id`, [workspace, connection, `PN-${name}`, marker]);
  await db.pool.query('insert into wa_thread_tags (thread_id, workspace_id, tag) values ($1, $2, \'vip\')', [thread, workspace]);
  const message = await q(`insert into wa_messages (workspace_id, thread_id, connection_id, phone_number_id, wa_message_id, direction, text, status)
    values ($1, $2, $3, $4, $5, 'in', $6, 'received') returning id`, [workspace, thread, connection, `PN-${name}`, `wamid.${name}`, marker]);
  const view = await q('insert into wa_saved_views (workspace_id, user_id, name, filters) values ($1, $2, $3, \'{}\') returning id', [workspace, user.id, marker]);
  return { user, workspace, connection, thread, message, view, marker };
}

/** Two workspaces, each with its own member: A acts, B is the target. */
export async function twoTenants(db: TestDatabase): Promise<{ a: Tenant; b: Tenant }> {
  return { a: await tenant(db, 'alpha'), b: await tenant(db, 'bravo') };
}

/** Everything a workspace holds, as one JSON value: equal before and after means nothing changed. */
export async function snapshot(pool: Pool, workspaceId: string): Promise<unknown> {
  const table = (name: string, order: string) => `(select coalesce(json_agg(x order by ${order}), '[]') from public.${name} x where x.workspace_id = $1)`;
  return (await one<{ all: unknown }>(pool, `select json_build_object(
      'workspace', (select row_to_json(w) from public.workspaces w where w.id = $1),
      'memberships', ${table('workspace_memberships', 'user_id')},
      'connections', ${table('wa_phone_numbers', 'id')},
      'threads', ${table('wa_threads', 'id')},
      'tags', ${table('wa_thread_tags', 'thread_id, tag')},
      'messages', ${table('wa_messages', 'id')},
      'outbox', ${table('outbox_messages', 'id')},
      'views', ${table('wa_saved_views', 'id')},
      'balance', ${table('workspace_token_balance', 'workspace_id')},
      'ledger', ${table('workspace_token_ledger', 'id')},
      'entitlements', ${table('workspace_entitlements', 'key')},
      'rate_limits', (select coalesce(json_agg(r order by key), '[]') from public.rate_limit_counters r where r.key like '%' || $1 || '%')
    ) as all`, [workspaceId])).all;
}
