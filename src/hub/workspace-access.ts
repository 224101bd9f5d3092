import type pg from 'pg';
import type { UserClaims } from '../db/with-user.js';
import { ForbiddenError, NotFoundError } from '../errors.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export type WorkspaceRole = 'owner' | 'admin' | 'member' | 'agent' | 'viewer';

/** Who is asking about a workspace, and what they may do with its WhatsApp connections. */
export interface WorkspaceAccess {
  workspaceId: string;
  userId: string;
  email: string | null;
  /** Their membership role; null for a platform admin who is not a member. */
  role: WorkspaceRole | null;
  platformAdmin: boolean;
  /** Owners, admins and platform admins add, change, test and connect numbers. */
  canManage: boolean;
}

/**
 * The caller's access to a workspace: any member may look; owners and admins may manage, and so
 * may a platform admin (OPS_ADMIN_EMAILS and a platform_admins row, as the ops console asks).
 * A workspace that does not exist, or of which the caller is not a member, is 404
 * workspace_not_found either way, so a workspace id reveals nothing to outsiders.
 */
export async function workspaceAccess(db: Queryable, allowlist: string[], claims: UserClaims, workspaceId: string): Promise<WorkspaceAccess> {
  const { rows } = await db.query<{ role: WorkspaceRole | null; admin: boolean }>(
    `select (select m.role from public.workspace_memberships m where m.workspace_id = w.id and m.user_id = $2) as role,
            exists (select 1 from public.platform_admins p where p.user_id = $2) as admin
     from public.workspaces w where w.id = $1`,
    [workspaceId, claims.sub],
  );
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
  const row = rows[0];
  const platformAdmin = Boolean(row?.admin && email && allowlist.includes(email));
  if (!row || (!row.role && !platformAdmin)) throw new NotFoundError('workspace_not_found', 'Workspace not found');
  return {
    workspaceId,
    userId: claims.sub,
    email,
    role: row.role,
    platformAdmin,
    canManage: platformAdmin || row.role === 'owner' || row.role === 'admin',
  };
}

/** workspaceAccess, refusing (403 not_workspace_admin) anyone who may not manage connections. */
export async function requireWorkspaceManager(db: Queryable, allowlist: string[], claims: UserClaims, workspaceId: string): Promise<WorkspaceAccess> {
  const access = await workspaceAccess(db, allowlist, claims, workspaceId);
  if (!access.canManage) throw new ForbiddenError('not_workspace_admin', 'Only owners and admins of this workspace may manage its WhatsApp connections');
  return access;
}
