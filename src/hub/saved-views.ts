import { z } from 'zod';
import type { Pool } from '../db/pool.js';
import { type UserClaims, withUser } from '../db/with-user.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { requireMember } from './membership.js';

/** Inbox filters a view saves (seed 000): status, assignee (me, unassigned or a user id), tag, q. */
export const viewFilters = z
  .object({
    status: z.enum(['open', 'pending', 'closed']).optional(),
    assignee: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
    tag: z.string().trim().min(1).max(64).optional(),
    q: z.string().trim().max(200).optional(),
  })
  .strict();

export interface SavedView {
  id: string;
  workspaceId: string;
  name: string;
  filters: z.infer<typeof viewFilters>;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = 'id, workspace_id as "workspaceId", name, filters, created_at as "createdAt", updated_at as "updatedAt"';

/** Every query runs as the user: the seed's RLS policy is what keeps each user to their own views. A non-member gets workspace_not_found. */
export function listViews(pool: Pool, user: UserClaims, workspaceId: string): Promise<SavedView[]> {
  return withUser(pool, user, async (client) => {
    await requireMember(client, workspaceId);
    return (await client.query<SavedView>(`select ${COLUMNS} from public.wa_saved_views where workspace_id = $1 order by name`, [workspaceId])).rows;
  });
}

export async function createView(
  pool: Pool,
  user: UserClaims,
  input: { workspaceId: string; name: string; filters: z.infer<typeof viewFilters> },
): Promise<SavedView> {
  try {
    return await withUser(pool, user, async (client) =>
      (await client.query<SavedView>(
        `insert into public.wa_saved_views (workspace_id, user_id, name, filters) values ($1, $2, $3, $4) returning ${COLUMNS}`,
        [input.workspaceId, user.sub, input.name, JSON.stringify(input.filters)],
      )).rows[0]!);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '23505') throw new ConflictError('view_name_exists', 'View name already exists', { cause: error });
    // RLS refuses the row: the caller is not a member of that workspace.
    if (code === '42501') throw new NotFoundError('workspace_not_found', 'Workspace not found');
    throw error;
  }
}

export async function deleteView(pool: Pool, user: UserClaims, workspaceId: string, viewId: string): Promise<void> {
  const deleted = await withUser(pool, user, async (client) =>
    (await client.query('delete from public.wa_saved_views where id = $1 and workspace_id = $2', [viewId, workspaceId])).rowCount);
  if (!deleted) throw new NotFoundError('view_not_found', 'Saved view not found');
}
