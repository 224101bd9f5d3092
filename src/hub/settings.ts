import type { Pool } from '../db/pool.js';
import type { UserClaims } from '../db/with-user.js';
import { requireWorkspaceManager, workspaceAccess } from './workspace-access.js';

/** A workspace's Meta Hub settings (wa_workspace_settings; no row means the defaults). */
export interface HubSettings {
  workspaceId: string;
  /** Mark the newest inbound message read at Meta when an agent opens the thread (default on). */
  readReceipts: boolean;
  updatedAt: Date | null;
}

export async function getHubSettings(pool: Pool, allowlist: string[], user: UserClaims, workspaceId: string): Promise<HubSettings> {
  await workspaceAccess(pool, allowlist, user, workspaceId);
  const row = (await pool.query<{ read_receipts: boolean; updated_at: Date }>(
    'select read_receipts, updated_at from public.wa_workspace_settings where workspace_id = $1',
    [workspaceId],
  )).rows[0];
  return { workspaceId, readReceipts: row?.read_receipts ?? true, updatedAt: row?.updated_at ?? null };
}

/** Owners, admins and platform admins change them (403 not_workspace_admin otherwise). */
export async function updateHubSettings(
  pool: Pool,
  allowlist: string[],
  user: UserClaims,
  workspaceId: string,
  patch: { readReceipts?: boolean | undefined },
): Promise<HubSettings> {
  await requireWorkspaceManager(pool, allowlist, user, workspaceId);
  const row = (await pool.query<{ read_receipts: boolean; updated_at: Date }>(
    `insert into public.wa_workspace_settings as s (workspace_id, read_receipts, updated_by, updated_at)
     values ($1, coalesce($2, true), $3, now())
     on conflict (workspace_id) do update set read_receipts = coalesce($2, s.read_receipts), updated_by = $3, updated_at = now()
     returning read_receipts, updated_at`,
    [workspaceId, patch.readReceipts ?? null, user.sub],
  )).rows[0]!;
  return { workspaceId, readReceipts: row.read_receipts, updatedAt: row.updated_at };
}
