import type { Pool } from '../db/pool.js';
import { type UserClaims, withUser } from '../db/with-user.js';
import { requireMember, type WorkspaceRole } from './membership.js';

/** A workspace the caller belongs to, with the caller's role in it. */
export interface MyWorkspace {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  role: WorkspaceRole;
}

/** A member of a workspace, as the assignee picker shows them. */
export interface WorkspaceMember {
  userId: string;
  email: string | null;
  role: WorkspaceRole;
}

/** The caller's workspaces, by name, under RLS. */
export async function myWorkspaces(pool: Pool, user: UserClaims): Promise<MyWorkspace[]> {
  return withUser(pool, user, async (client) =>
    (await client.query<MyWorkspace>(
      `select w.id, w.slug, w.name, w.status, m.role from public.workspaces w
       join public.workspace_memberships m on m.workspace_id = w.id and m.user_id = auth.uid()
       order by lower(w.name), w.id`,
    )).rows);
}

/** Everyone in a workspace with their email, for members of it only. */
export async function workspaceMembers(pool: Pool, user: UserClaims, workspaceId: string): Promise<WorkspaceMember[]> {
  return withUser(pool, user, async (client) => {
    await requireMember(client, workspaceId);
    return (await client.query<WorkspaceMember>(
      'select user_id as "userId", email, role from public.workspace_member_directory($1)',
      [workspaceId],
    )).rows;
  });
}
