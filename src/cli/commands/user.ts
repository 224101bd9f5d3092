import { EMAIL, newPasswordHash, provisionUser } from '../../auth/provision.js';
import { withTransaction } from '../../db/tx.js';
import { InputError } from '../../errors.js';
import { type Command, printJson } from '../command.js';
import { withDatabasePool } from '../with-database.js';

/** The whole of stdin, without the one line ending `echo` or a here-string adds. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new InputError('--password-stdin: pipe the password in, e.g. printf %s "$PASSWORD" | wabase user add ...');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export const userAdd: Command = {
  name: 'user add',
  usage: '--email E [--password-stdin] [--admin]',
  summary:
    'Creates or updates a user in auth.users as Supabase Auth keeps them (bcrypt password from stdin, confirmed email); --admin also makes a platform admin. Idempotent.',
  options: { 'email': { type: 'string' }, 'password-stdin': { type: 'boolean' }, 'admin': { type: 'boolean' } },
  async run({ values, json }) {
    const email = typeof values.email === 'string' ? values.email.trim().toLowerCase() : '';
    if (!EMAIL.test(email)) throw new InputError('--email: expected an email address');
    // Read and hash before the database starts: a refused password touches nothing.
    const passwordHash = values['password-stdin'] ? await newPasswordHash(await readPasswordFromStdin()) : undefined;
    const admin = Boolean(values.admin);
    return withDatabasePool(async (pool, config) => {
      const result = await withTransaction(pool, (db) => provisionUser(db, config, { email, admin, ...(passwordHash ? { passwordHash } : {}) }));
      if (json) {
        printJson(result);
        return 0;
      }
      const parts = [result.created ? 'created' : 'updated', result.passwordSet ? 'password set' : 'password unchanged'];
      if (admin) parts.push('platform admin');
      console.log(`✓ ${email} (user ${result.userId}): ${parts.join(', ')}`);
      if (admin && !result.allowlisted) console.log(`! add ${email} to OPS_ADMIN_EMAILS too: the ops console needs both`);
      return 0;
    });
  },
};
