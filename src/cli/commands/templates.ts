import { AppError } from '../../errors.js';
import { encryptionKey } from '../../hub/crypto.js';
import { syncTemplates } from '../../hub/templates/sync.js';
import { type Command, printJson } from '../command.js';
import { withDatabasePool } from '../with-database.js';

export const templatesSync: Command = {
  name: 'templates sync',
  usage: '[--workspace SLUG|ID]',
  summary: 'Syncs the message templates of every WABA the workspaces\' active numbers are on (all pages of GET /{waba_id}/message_templates).',
  options: { workspace: { type: 'string' } },
  run: ({ values, json }) =>
    withDatabasePool(async (pool, config) => {
      let workspaceId: string | undefined;
      if (typeof values.workspace === 'string' && values.workspace.trim()) {
        const found = await pool.query<{ id: string }>('select id from public.workspaces where id::text = $1 or lower(slug) = lower($1)', [values.workspace.trim()]);
        if (!found.rows[0]) throw new AppError('workspace_not_found', `no workspace ${values.workspace}`, 404);
        workspaceId = found.rows[0].id;
      }
      const results = await syncTemplates(pool, { baseUrl: config.meta.graphBaseUrl, version: config.meta.graphVersion }, encryptionKey(config),
        workspaceId ? { workspaceId } : {});
      if (json) printJson({ wabas: results });
      else {
        if (results.length === 0) console.log('no active number with a WABA id and a token: nothing to sync');
        for (const r of results) {
          console.log(r.error
            ? `✗ WABA ${r.wabaId} (workspace ${r.workspaceId}): ${r.error.message}`
            : `✓ WABA ${r.wabaId} (workspace ${r.workspaceId}): ${r.templates} template(s) in ${r.pages} page(s)${r.removed ? `, ${r.removed} gone at Meta` : ''}`);
        }
      }
      return results.some((r) => r.error) ? 1 : 0;
    }),
};
