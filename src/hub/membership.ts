import type { PoolClient } from '../db/pool.js';
import { NotFoundError } from '../errors.js';

/**
 * Inside a withUser transaction: the caller is a member of the workspace, or the workspace is
 * "not found" (a non-member cannot tell a workspace they are not in from one that does not exist).
 * Lists run it first, so another tenant's id answers 404 rather than an empty 200 that reads as
 * "no threads here".
 */
export async function requireMember(client: PoolClient, workspaceId: string): Promise<void> {
  const { rows } = await client.query<{ member: boolean }>('select public.is_workspace_member($1) as member', [workspaceId]);
  if (!rows[0]?.member) throw new NotFoundError('workspace_not_found', 'Workspace not found');
}
