import { jwtKey, mintAccessToken } from '../../auth/jwt.js';
import { upsertUser } from '../../auth/users.js';
import { AppError, InputError } from '../../errors.js';
import { type Command, printJson } from '../command.js';
import { withDatabasePool } from '../with-database.js';

export const authToken: Command = {
  name: 'auth token',
  usage: '--email E [--create] [--expires-in SECONDS]',
  summary: 'Mints an access token for the user with this email (creating the auth.users row with --create).',
  options: {
    'email': { type: 'string' },
    'create': { type: 'boolean' },
    'expires-in': { type: 'string' },
  },
  async run({ values, json }) {
    const email = typeof values.email === 'string' ? values.email.trim().toLowerCase() : '';
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new InputError('--email: expected an email address');
    const expiresIn = values['expires-in'] ? Number(values['expires-in']) : 3600;
    if (!Number.isInteger(expiresIn) || expiresIn <= 0)
      throw new InputError('--expires-in: expected a positive number of seconds');
    return withDatabasePool(async (pool, config) => {
      let row = (await pool.query<{ id: string }>('select id from auth.users where lower(email) = $1', [email])).rows[0];
      if (!row && values.create) {
        row = { id: (await upsertUser(pool, email)).user.id };
      }
      if (!row) throw new AppError('user_not_found', `no user with email ${email}; add --create to create one`, 404);
      const token = await mintAccessToken(jwtKey(config), { sub: row.id, email, expiresIn });
      if (json) printJson({ userId: row.id, email, token, expiresIn });
      else console.log(token);
      return 0;
    });
  },
};
