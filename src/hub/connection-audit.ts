import type pg from 'pg';
import type { Connection } from './connections-admin.js';
import type { WorkspaceAccess } from './workspace-access.js';

/** A connection's public columns, for an audit row's before/after (never its token). */
export const auditedColumns = (c: Connection) =>
  ({ phoneNumberId: c.phoneNumberId, wabaId: c.wabaId, displayPhoneNumber: c.displayPhoneNumber, displayName: c.displayName, status: c.status });

export type ConnectionAction =
  | 'workspace.connection.added' |
  'workspace.connection.activated' |
  'workspace.connection.deactivated' |
  'workspace.connection.token_replaced' |
  'workspace.connection.signup_completed';

/**
 * One owner_audit_log row for a change to a workspace's connections, in the caller's transaction
 * (the ops console's workspace detail shows them beside token grants). `before`/`after` never hold
 * a token: only the connection's public columns.
 */
export async function auditConnection(
  db: Pick<pg.ClientBase, 'query'>,
  actor: WorkspaceAccess,
  entry: { action: ConnectionAction; connectionId: string; before?: Record<string, unknown>; after?: Record<string, unknown>; meta?: Record<string, unknown> },
): Promise<void> {
  await db.query(
    `insert into public.owner_audit_log (action, actor_user_id, actor_email, workspace_id, target_table, target_id, before_data, after_data, meta)
     values ($1, $2, $3, $4, 'wa_phone_numbers', $5, $6, $7, $8)`,
    [
      entry.action,
      actor.userId,
      actor.email,
      actor.workspaceId,
      entry.connectionId,
      entry.before ? JSON.stringify(entry.before) : null,
      entry.after ? JSON.stringify(entry.after) : null,
      JSON.stringify({ ...entry.meta, role: actor.role, platformAdmin: actor.platformAdmin }),
    ],
  );
}
