import { loadConfig } from '../../config.js';
import { InputError } from '../../errors.js';
import { addOwnerMember, addPlatformAdmin, userIdByEmail } from '../../ops/admins.js';
import { UUID } from '../../ops/inputs.js';
import { type Command, printJson } from '../command.js';
import { withDatabasePool } from '../with-database.js';

const EMAIL = /^[^@\s]+@[^@\s]+$/;

export const adminAdd: Command = {
  name: 'admin add',
  usage: '--email E [--create]',
  summary: 'Makes a user a platform admin (platform_admins row; the email must also be on OPS_ADMIN_EMAILS). Idempotent.',
  options: { email: { type: 'string' }, create: { type: 'boolean' } },
  run: ({ values, json }) =>
    withDatabasePool(async (pool) => {
      const email = typeof values.email === 'string' ? values.email.trim().toLowerCase() : '';
      if (!EMAIL.test(email)) throw new InputError('--email: expected an email address');
      const result = await addPlatformAdmin(pool, email, { create: Boolean(values.create) });
      const config = loadConfig();
      const allowlisted = config.opsAdminEmails.includes(email);
      if (json) printJson({ ...result, email, allowlisted });
      else {
        console.log(`✓ ${email} is a platform admin (user ${result.userId})`);
        if (!allowlisted) {
          console.log(
            config.opsAdminEmailsSource === 'env'
              ? `! add ${email} to OPS_ADMIN_EMAILS too: the ops console needs both`
              : `! the ops console also needs the allowlist: run wabase user add --email ${email} --admin (or set OPS_ADMIN_EMAILS)`,
          );
        }
      }
      return 0;
    }),
};

export const ownerAdd: Command = {
  name: 'owner add',
  usage: '--email E [--user-id UUID | --create] [--role owner|ops|viewer]',
  summary: 'Seed 000\'s owner_members upsert (insert … on conflict (user_id) do update). Idempotent.',
  options: { 'email': { type: 'string' }, 'user-id': { type: 'string' }, 'role': { type: 'string' }, 'create': { type: 'boolean' } },
  run: ({ values, json }) =>
    withDatabasePool(async (pool) => {
      const email = typeof values.email === 'string' ? values.email.trim() : '';
      const given = typeof values['user-id'] === 'string' ? values['user-id'].trim() : null;
      const role = (values.role ?? 'owner') as string;
      if (!EMAIL.test(email)) throw new InputError('--email: expected an email address');
      if (given !== null && !UUID.test(given)) throw new InputError('--user-id: expected the uuid of an auth.users row');
      // Without --user-id, the user is the one with this email (created with --create).
      const userId = given ?? (await userIdByEmail(pool, email, Boolean(values.create)));
      if (role !== 'owner' && role !== 'ops' && role !== 'viewer') throw new InputError('--role: expected owner, ops or viewer');
      await addOwnerMember(pool, userId, email, role);
      if (json) printJson({ userId, email, role, active: true });
      else console.log(`✓ ${email} is an active ${role} (user ${userId})`);
      return 0;
    }),
};
