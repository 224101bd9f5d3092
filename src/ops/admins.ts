import { upsertUser } from '../auth/users.js';
import type { Pool } from '../db/pool.js';
import { AppError, ForbiddenError } from '../errors.js';
import type { Admin } from './admin-context.js';

/**
 * A platform admin has both an email on OPS_ADMIN_EMAILS and a platform_admins row (seed 000).
 * Anyone else is refused with not_platform_admin.
 */
export async function requirePlatformAdmin(
  pool: Pool,
  allowlist: string[],
  claims: { sub: string; email?: unknown },
): Promise<Admin> {
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
  const refuse = new ForbiddenError('not_platform_admin', 'Only platform admins may use the ops console');
  if (!email || !allowlist.includes(email)) throw refuse;
  const row = await pool.query('select 1 from public.platform_admins where user_id = $1', [claims.sub]);
  if (row.rowCount === 0) throw refuse;
  return { userId: claims.sub, email };
}

/** The auth.users id of an email; creates the user with `create`, else 404 user_not_found. */
export async function userIdByEmail(pool: Pool, email: string, create: boolean): Promise<string> {
  const found = await pool.query<{ id: string }>('select id from auth.users where lower(email) = lower($1)', [email]);
  if (found.rows[0]) return found.rows[0].id;
  if (!create) throw new AppError('user_not_found', `no user with email ${email}; add --create to create one`, 404);
  return (await upsertUser(pool, email)).user.id;
}

/** `wabase admin add`: the platform_admins row for a user (idempotent). */
export async function addPlatformAdmin(
  pool: Pool,
  email: string,
  options: { create?: boolean } = {},
): Promise<{ userId: string; added: boolean }> {
  const userId = await userIdByEmail(pool, email, options.create ?? false);
  const result = await pool.query(
    `insert into public.platform_admins (user_id, email) values ($1, lower($2))
     on conflict (user_id) do update set email = excluded.email`,
    [userId, email],
  );
  return { userId, added: (result.rowCount ?? 0) > 0 };
}

/** `wabase owner add`: seed 000's owner_members upsert, exactly. */
export async function addOwnerMember(pool: Pool, userId: string, email: string, role: 'owner' | 'ops' | 'viewer'): Promise<void> {
  await pool.query(
    `insert into owner_members (user_id, email, role, active)
     values ($1, $2, $3, true)
     on conflict (user_id) do update set email=excluded.email, role=excluded.role, active=true`,
    [userId, email, role],
  );
}
