import type pg from 'pg';
import type { Pool, PoolClient } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import { AppError, ConflictError, ForbiddenError, InputError, NotFoundError } from '../errors.js';

/** The platform admin acting, as the routes verified them. */
export interface Admin {
  userId: string;
  email: string;
}

/** Named errors the ops SQL functions raise, as the HTTP errors they mean. */
function mapOpsError(error: unknown): unknown {
  const message = (error as { message?: string }).message ?? '';
  switch (message) {
    case 'insufficient_balance':
      return new ConflictError('insufficient_balance', 'The deduction is larger than the balance; nothing was changed');
    case 'workspace_not_found':
      return new NotFoundError('workspace_not_found', 'Workspace not found');
    case 'not_platform_admin':
      return new ForbiddenError('not_platform_admin', 'Only platform admins may do this');
    case 'payload_must_be_object':
      return new InputError('payload must be a JSON object');
    case 'invalid_entitlement_key':
      return new InputError('key must be 2 to 120 characters of a-z, 0-9 and _');
    case 'reason_required':
      return new InputError('reason is required');
    default:
      return error;
  }
}

/**
 * Runs an ops change in one transaction on the server connection, with the admin's claims set so
 * the SQL functions check the caller again (assert_ops_caller) and record who acted. The change
 * and its audit row commit together or not at all.
 */
export async function asAdmin<T>(pool: Pool, admin: Admin, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  try {
    return await withTransaction(pool, async (client) => {
      await client.query('select set_config(\'request.jwt.claims\', $1, true)', [
        JSON.stringify({ sub: admin.userId, email: admin.email, role: 'authenticated' }),
      ]);
      return fn(client);
    });
  } catch (error) {
    const mapped = mapOpsError(error);
    if (mapped instanceof AppError) throw mapped;
    throw error;
  }
}

export interface AuditEntry {
  action:
    | 'owner.tokens.granted' |
    'owner.tokens.deducted' |
    'owner.entitlement.enabled' |
    'owner.entitlement.disabled' |
    'owner.entitlement.payload_updated';
  workspaceId: string;
  targetTable: string;
  targetId: string;
  before: unknown;
  after: unknown;
  meta?: Record<string, unknown>;
}

/** Writes one owner_audit_log row inside the caller's transaction. */
export async function writeAudit(client: Pick<pg.ClientBase, 'query'>, admin: Admin, entry: AuditEntry): Promise<void> {
  await client.query(
    `insert into public.owner_audit_log
       (action, actor_user_id, actor_email, workspace_id, target_table, target_id, before_data, after_data, meta)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      entry.action,
      admin.userId,
      admin.email,
      entry.workspaceId,
      entry.targetTable,
      entry.targetId,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      JSON.stringify(entry.meta ?? {}),
    ],
  );
}
