import type { Pool } from '../db/pool.js';
import { ForbiddenError } from '../errors.js';

/**
 * The monitor is for the deployment's owners and platform admins only: an active owner_members
 * row (owner and ops may act, viewer may read), or a platform admin (OPS_ADMIN_EMAILS plus a
 * platform_admins row). Everyone else gets 403 not_monitor_owner. Answers whether the caller may
 * also change things (link, toggle, block), so the UI can leave out what they may not use.
 */
export async function requireMonitorAccess(
  pool: Pool,
  allowlist: string[],
  claims: { sub: string; email?: unknown },
  mode: 'read' | 'write',
): Promise<{ canManage: boolean }> {
  const { rows } = await pool.query<{ role: string | null; admin: boolean }>(
    `select (select role from public.owner_members where user_id = $1 and active) as role,
            exists (select 1 from public.platform_admins where user_id = $1) as admin`,
    [claims.sub],
  );
  const { role, admin } = rows[0]!;
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
  if (admin && email && allowlist.includes(email)) return { canManage: true };
  if (role && (mode === 'read' || role !== 'viewer')) return { canManage: role !== 'viewer' };
  throw new ForbiddenError(
    'not_monitor_owner',
    role === 'viewer' ? 'Viewers may read the group monitor but not change it' : 'Only owners and platform admins may use the group monitor',
  );
}
