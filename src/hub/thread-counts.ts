import { z } from 'zod';
import { containsPattern } from '../db/like.js';
import type { Pool } from '../db/pool.js';
import { type UserClaims, withUser } from '../db/with-user.js';
import { requireMember, workspaceNotFound } from './membership.js';
import { threadQuery } from './threads.js';

/** The list's filters other than status (the tabs show a count per status under them). */
export const threadCountsQuery = threadQuery.pick({ workspaceId: true, assignee: true, tag: true, q: true });

/** Each status is counted up to this many threads; past it the tab says "1,000+". */
export const COUNT_CAP = 1000;

type Tab = 'open' | 'pending' | 'closed' | 'all';

export type ThreadCounts = Record<Tab, number> & {
  /** True where the count stopped at COUNT_CAP (for `all`: where any status did). */
  capped: Record<Tab, boolean>;
};

/** Threads per status under the other filters; 404 workspace_not_found for a non-member. */
export async function countThreads(pool: Pool, user: UserClaims, query: z.output<typeof threadCountsQuery>): Promise<ThreadCounts> {
  const assignee = query.assignee === 'me' ? user.sub : query.assignee;
  const rows = await withUser(pool, user, async (client) =>
    (await client.query<{ status: Exclude<Tab, 'all'>; n: number }>(
      'select status, n from public.wa_inbox_counts($1, $2, $3, $4, $5)',
      [query.workspaceId, assignee ?? null, query.tag ?? null, query.q ? containsPattern(query.q) : null, COUNT_CAP],
    ).catch(workspaceNotFound)).rows);
  const counts: ThreadCounts = { open: 0, pending: 0, closed: 0, all: 0, capped: { open: false, pending: false, closed: false, all: false } };
  for (const row of rows) {
    const capped = row.n > COUNT_CAP;
    counts[row.status] = Math.min(row.n, COUNT_CAP);
    counts.capped[row.status] = capped;
    counts.all += counts[row.status];
    counts.capped.all ||= capped;
  }
  return counts;
}

/** The workspace's tags (up to 500, by name) with their thread counts, for the tag filter. */
export async function listTags(pool: Pool, user: UserClaims, workspaceId: string): Promise<{ tag: string; threads: number }[]> {
  return withUser(pool, user, async (client) => {
    await requireMember(client, workspaceId);
    return (await client.query<{ tag: string; threads: number }>('select tag, threads from public.wa_workspace_tags($1)', [workspaceId])).rows;
  });
}
