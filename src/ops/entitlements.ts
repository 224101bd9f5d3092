import type { PoolClient } from '../db/pool.js';
import type { Pool } from '../db/pool.js';
import { type Admin, asAdmin, type AuditEntry, writeAudit } from './admin-context.js';

export interface Entitlement {
  workspaceId: string;
  key: string;
  enabled: boolean;
  payload: Record<string, unknown>;
  expiresAt: Date | null;
  reason: string | null;
  updatedBy: string | null;
  updatedAt: Date;
}

/** The columns of an Entitlement, from workspace_entitlements or the functions that return its rows. */
export const ENTITLEMENT_COLUMNS = `workspace_id as "workspaceId", key, enabled, payload, expires_at as "expiresAt", reason,
  updated_by as "updatedBy", updated_at as "updatedAt"`;

async function current(client: PoolClient, workspaceId: string, key: string): Promise<Entitlement | null> {
  const result = await client.query<Entitlement>(
    `select ${ENTITLEMENT_COLUMNS} from public.workspace_entitlements where workspace_id = $1 and key = $2 for update`,
    [workspaceId, key],
  );
  return result.rows[0] ?? null;
}

/**
 * Upserts one entitlement with set_workspace_entitlement_payload and audits it, in one transaction.
 * `payload: undefined` keeps the stored payload (a disable does not erase it); `enabled: undefined`
 * keeps the stored flag (false for a new entitlement). Both are read from the row locked here.
 */
async function setEntitlement(
  pool: Pool,
  admin: Admin,
  workspaceId: string,
  key: string,
  change: { enabled?: boolean; payload?: Record<string, unknown>; reason: string | null },
  action: AuditEntry['action'],
): Promise<Entitlement> {
  return asAdmin(pool, admin, async (client) => {
    const before = await current(client, workspaceId, key);
    const payload = change.payload ?? before?.payload ?? {};
    const enabled = change.enabled ?? before?.enabled ?? false;
    const result = await client.query<Entitlement>(
      `select ${ENTITLEMENT_COLUMNS} from public.set_workspace_entitlement_payload($1, $2, $3, $4, $5, $6)`,
      [workspaceId, key, enabled, JSON.stringify(payload), before?.expiresAt ?? null, change.reason],
    );
    const after = result.rows[0]!;
    await writeAudit(client, admin, {
      action,
      workspaceId,
      targetTable: 'workspace_entitlements',
      targetId: key,
      before,
      after,
    });
    return after;
  });
}

export function enableEntitlement(pool: Pool, admin: Admin, workspaceId: string, key: string, payload: Record<string, unknown>) {
  return setEntitlement(pool, admin, workspaceId, key, { enabled: true, payload, reason: null }, 'owner.entitlement.enabled');
}

export function disableEntitlement(pool: Pool, admin: Admin, workspaceId: string, key: string, reason: string | null) {
  return setEntitlement(pool, admin, workspaceId, key, { enabled: false, reason: reason || null }, 'owner.entitlement.disabled');
}

/** Replaces the payload, keeping enabled as it is (a new entitlement starts disabled). */
export function updateEntitlementPayload(pool: Pool, admin: Admin, workspaceId: string, key: string, payload: Record<string, unknown>) {
  return setEntitlement(pool, admin, workspaceId, key, { payload, reason: null }, 'owner.entitlement.payload_updated');
}
