import type pg from 'pg';
import type { Config } from '../config.js';
import { InputError } from '../errors.js';
import { addToAllowlistFile } from '../ops/allowlist.js';
import { hashPassword, passwordProblem, passwordProblemMessage } from './passwords.js';
import { upsertUser } from './users.js';

type Db = Pick<pg.ClientBase, 'query'>;

export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface Provisioned {
  userId: string;
  email: string;
  created: boolean;
  passwordSet: boolean;
  admin: boolean;
  /** The email is on the effective ops allowlist (OPS_ADMIN_EMAILS, or the file when unset). */
  allowlisted: boolean;
}

/** Checks and hashes a new password; the message is wabase's (InputError weak_password). */
export async function newPasswordHash(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new InputError(passwordProblemMessage(problem), 'weak_password');
  return hashPassword(password);
}

/**
 * Creates or updates a user as GoTrue keeps them (email confirmed, bcrypt hash when a password is
 * given); with `admin`, also the platform_admins row and, while OPS_ADMIN_EMAILS is unset, the
 * allowlist file entry. Idempotent. Run it in a transaction to make it all-or-nothing.
 */
export async function provisionUser(
  db: Db,
  config: Config,
  input: { email: string; passwordHash?: string; admin: boolean },
): Promise<Provisioned> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new InputError('email: expected an email address');
  const { user, created } = await upsertUser(db, email, { confirmed: true, ...(input.passwordHash ? { passwordHash: input.passwordHash } : {}) });
  if (input.admin) {
    await db.query(
      `insert into public.platform_admins (user_id, email) values ($1, $2)
       on conflict (user_id) do update set email = excluded.email`,
      [user.id, email],
    );
    if (config.opsAdminEmailsSource === 'file') addToAllowlistFile(config.home, email);
  }
  return {
    userId: user.id,
    email,
    created,
    passwordSet: Boolean(input.passwordHash),
    admin: input.admin,
    allowlisted: config.opsAdminEmails.includes(email),
  };
}
