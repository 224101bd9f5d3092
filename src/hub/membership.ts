import type { PoolClient } from '../db/pool.js';
import { NotFoundError, pgCode } from '../errors.js';

/**
 * Inside a withUser transaction: the caller is a member of the workspace, or the workspace is
 * "not found" (a non-member cannot tell a workspace they are not in from one that does not exist).
 * Lists run it first, so another tenant's id answers 404 rather than an empty 200 that reads as
 * "no threads here".
 */
export async function requireMember(client: PoolClient, workspaceId: string): Promise<WorkspaceRole> {
  const role = await memberRole(client, workspaceId);
  if (!role) throw new NotFoundError('workspace_not_found', 'Workspace not found');
  return role;
}

export type WorkspaceRole = 'owner' | 'admin' | 'member' | 'agent' | 'viewer';

/** Inside a withUser transaction: the caller's role in the workspace, or null for a non-member. */
export async function memberRole(client: PoolClient, workspaceId: string): Promise<WorkspaceRole | null> {
  const { rows } = await client.query<{ role: WorkspaceRole }>(
    'select role from public.workspace_memberships where workspace_id = $1 and user_id = auth.uid()',
    [workspaceId],
  );
  return rows[0]?.role ?? null;
}

/**
 * For a `.catch` on a call of a function that raises P0002 `workspace_not_found` for a non-member
 * (wa_inbox_threads, wa_inbox_counts): that error becomes the same 404 requireMember gives.
 */
export function workspaceNotFound(error: unknown): never {
  if (pgCode(error) === 'P0002' && (error as Error).message === 'workspace_not_found') {
    throw new NotFoundError('workspace_not_found', 'Workspace not found');
  }
  throw error;
}
