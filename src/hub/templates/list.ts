import type { Pool } from '../../db/pool.js';
import { type UserClaims, withUser } from '../../db/with-user.js';
import { NotFoundError } from '../../errors.js';
import type { TemplateComponent } from './validate.js';

export interface MessageTemplate {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  components: TemplateComponent[];
  quality: string | null;
  reason: string | null;
  syncedAt: Date | null;
  updatedAt: Date;
}

/**
 * The workspace's templates (under RLS: members only; 404 workspace_not_found otherwise), by name
 * and language; `status` filters (APPROVED for the inbox's picker), `threadId` narrows to the
 * WABA of that thread's number.
 */
export async function listTemplates(
  pool: Pool,
  user: UserClaims,
  query: { workspaceId: string; status?: string | undefined; threadId?: string | undefined },
): Promise<MessageTemplate[]> {
  return withUser(pool, user, async (client) => {
    const member = await client.query('select 1 from public.workspace_memberships where workspace_id = $1 and user_id = $2', [query.workspaceId, user.sub]);
    if (member.rowCount === 0) throw new NotFoundError('workspace_not_found', 'Workspace not found');
    const rows = await client.query<MessageTemplate>(
      `select t.id, t.waba_id as "wabaId", t.name, t.language, t.category, t.status, t.components, t.quality, t.reason,
              t.synced_at as "syncedAt", t.updated_at as "updatedAt"
       from public.wa_message_templates t
       where t.workspace_id = $1 and ($2::text is null or t.status = $2)
         and ($3::uuid is null or t.waba_id = (select c.waba_id from public.wa_threads th join public.wa_phone_numbers c on c.id = th.connection_id where th.id = $3))
       order by t.name, t.language limit 500`,
      [query.workspaceId, query.status ?? null, query.threadId ?? null],
    );
    return rows.rows;
  });
}
