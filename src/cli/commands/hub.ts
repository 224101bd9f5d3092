import fs from 'node:fs';
import { InputError } from '../../errors.js';
import { encryptionKey } from '../../hub/crypto.js';
import { ACCESS_TOKEN, addConnection, addWorkspace, PHONE_NUMBER_ID } from '../../hub/setup.js';
import { type Command, printJson } from '../command.js';
import { withDatabasePool } from '../with-database.js';

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export const workspaceAdd: Command = {
  name: 'workspace add',
  usage: '--slug S --name N [--owner EMAIL]',
  summary: 'Creates a workspace (or finds it by slug), optionally making a user its owner. Idempotent.',
  options: { slug: { type: 'string' }, name: { type: 'string' }, owner: { type: 'string' } },
  run: ({ values, json }) =>
    withDatabasePool(async (pool) => {
      const slug = text(values.slug);
      if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) throw new InputError('--slug: expected 2-63 characters of a-z, 0-9 and -');
      const result = await addWorkspace(pool, { slug, name: text(values.name) || slug, ...(values.owner ? { ownerEmail: text(values.owner) } : {}) });
      if (json) printJson({ slug, ...result });
      else console.log(`✓ workspace ${slug} (${result.id})${result.created ? ' created' : ' exists'}`);
      return 0;
    }),
};

export const connectionAdd: Command = {
  name: 'connection add',
  usage: '--workspace SLUG|ID --phone-number-id ID --token TOKEN|- [--waba-id ID] [--display-phone P] [--name N]',
  summary: 'Registers a WhatsApp number of a workspace; the access token (`-` reads it from stdin) is stored encrypted.',
  options: {
    'workspace': { type: 'string' },
    'phone-number-id': { type: 'string' },
    'token': { type: 'string' },
    'waba-id': { type: 'string' },
    'display-phone': { type: 'string' },
    'name': { type: 'string' },
  },
  run: ({ values, json }) =>
    withDatabasePool(async (pool, config) => {
      const phoneNumberId = text(values['phone-number-id']);
      if (!PHONE_NUMBER_ID.test(phoneNumberId)) throw new InputError('--phone-number-id: expected the numeric id Meta shows for the number');
      // `-` keeps the token out of shell history and the process list.
      const token = values.token === '-' ? fs.readFileSync(0, 'utf8').trim() : text(values.token);
      if (!ACCESS_TOKEN.test(token)) throw new InputError('--token: expected the access token (or - to read it from stdin)');
      const result = await addConnection(pool, encryptionKey(config), {
        workspace: text(values.workspace),
        phoneNumberId,
        token,
        ...(values['waba-id'] ? { wabaId: text(values['waba-id']) } : {}),
        ...(values['display-phone'] ? { displayPhoneNumber: text(values['display-phone']) } : {}),
        ...(values.name ? { displayName: text(values.name) } : {}),
      });
      if (json) printJson({ id: result.id, phoneNumberId });
      else console.log(`✓ connection ${phoneNumberId} (${result.id}); its token is stored encrypted`);
      return 0;
    }),
};
