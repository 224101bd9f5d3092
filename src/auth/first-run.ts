import type { Config } from '../config.js';
import type { Pool } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import { NotFoundError } from '../errors.js';
import { newPasswordHash, type Provisioned, provisionUser } from './provision.js';
import { consumeSetupLink, createSetupLink, setupLinkExpiry } from './setup-link.js';

export const setupLinkInvalid = () => new NotFoundError('setup_link_invalid', 'This setup link is invalid or has expired');

/**
 * The line `npm start` prints while the deployment has no platform admin (wabase's own auth
 * only): a one-time link, valid one hour, with the token in the fragment so that it never reaches
 * a server log. Each start prints a new link and ends the older ones.
 */
export async function firstRunNotice(pool: Pool, config: Config, serverUrl: string): Promise<string | null> {
  if (config.auth.provider !== 'wabase') return null;
  const { rows } = await pool.query<{ present: boolean }>('select exists (select 1 from public.platform_admins) as present');
  if (rows[0]?.present) return null;
  const { token } = await createSetupLink(pool);
  const base = config.publicBaseUrl ?? serverUrl;
  return `First run: open ${base}/setup#token=${token} within 1 hour to set your password and become the platform admin.`;
}

/** The link's expiry, while it is unused and there is still no platform admin; else setup_link_invalid. */
export async function checkFirstRun(pool: Pool, token: string): Promise<Date> {
  const expiresAt = await setupLinkExpiry(pool, token);
  if (!expiresAt) throw setupLinkInvalid();
  if ((await pool.query('select 1 from public.platform_admins limit 1')).rowCount) throw setupLinkInvalid();
  return expiresAt;
}

/**
 * Completes the first run in one transaction: the link is used up, the user is created (or its
 * password set) with a confirmed email, and made a platform admin (plus the allowlist file entry
 * while OPS_ADMIN_EMAILS is unset).
 */
export async function completeFirstRun(pool: Pool, config: Config, input: { token: string; email: string; password: string }): Promise<Provisioned> {
  if (!(await setupLinkExpiry(pool, input.token))) throw setupLinkInvalid();
  const passwordHash = await newPasswordHash(input.password);
  return withTransaction(pool, async (db) => {
    // The link makes the *first* admin: once there is one (say `wabase user add --admin` ran since
    // the link was printed), it can neither add another nor reset anyone's password.
    await db.query('lock table public.platform_admins in share row exclusive mode');
    const admins = await db.query('select 1 from public.platform_admins limit 1');
    if (admins.rowCount) throw setupLinkInvalid();
    if (!(await consumeSetupLink(db, input.token))) throw setupLinkInvalid();
    return provisionUser(db, config, { email: input.email, passwordHash, admin: true });
  });
}
