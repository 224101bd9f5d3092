import { beforeCondition, nextBefore } from '../db/cursor.js';
import type { Pool } from '../db/pool.js';

/** One workspace_token_ledger row. */
export interface LedgerEntry {
  id: string;
  delta: number;
  reason: string;
  refType: string;
  refId: string | null;
  balanceAfter: number;
  createdBy: string | null;
  createdAt: Date;
}

/** One owner_audit_log row of a workspace. */
export interface OwnerAuditEntry {
  id: string;
  action: string;
  actorUserId: string | null;
  actorEmail: string | null;
  targetTable: string | null;
  targetId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  meta: Record<string, unknown>;
  createdAt: Date;
}

/** A page of a workspace's history, newest first; `nextBefore` is the cursor of the next page (null at the end). */
export interface HistoryPage<T> {
  items: T[];
  nextBefore: string | null;
}

/**
 * The most any page of history holds (the detail's first page too). An audit row may carry two
 * copies of a 64 kB payload, so this bounds a response at a few MB instead of the workspace's whole life.
 */
export const HISTORY_PAGE_MAX = 50;

export interface HistoryOptions {
  before?: string;
  limit: number;
}

const LEDGER_COLUMNS = `id, delta, reason, ref_type as "refType", ref_id as "refId", balance_after as "balanceAfter",
  created_by as "createdBy", created_at as "createdAt"`;
const AUDIT_COLUMNS = `id, action, actor_user_id as "actorUserId", actor_email as "actorEmail", target_table as "targetTable",
  target_id as "targetId", before_data as "before", after_data as "after", meta, created_at as "createdAt"`;

/**
 * Keyset paging on (created_at, id), newest first: rows sharing a timestamp (one transaction's
 * grant and its audit row, a burst of grants) are neither skipped nor repeated.
 * `workspaceId` must already be known to exist.
 */
async function page<T extends { id: string }>(
  pool: Pool,
  table: string,
  columns: string,
  workspaceId: string,
  options: HistoryOptions,
): Promise<HistoryPage<T>> {
  const limit = Math.min(options.limit, HISTORY_PAGE_MAX);
  // One row more than the page says whether there is a next one: no cursor that leads to an empty page.
  const params: unknown[] = [workspaceId, limit + 1];
  const param = (value: unknown) => `$${params.push(value)}`;
  const before = options.before ? `and ${beforeCondition(options.before, 'created_at', 'id', param)}` : '';
  const result = await pool.query<T & { cursor: string }>(
    `select ${columns}, to_json(created_at) #>> '{}' as cursor
     from public.${table} where workspace_id = $1 ${before}
     order by created_at desc, id desc limit $2`,
    params,
  );
  const rows = result.rows.slice(0, limit);
  const next = result.rows.length > limit ? nextBefore(rows, limit) : null;
  return { items: rows.map(({ cursor: _cursor, ...row }) => row as unknown as T), nextBefore: next };
}

/** A page of the workspace's token ledger. */
export function ledgerPage(pool: Pool, workspaceId: string, options: HistoryOptions): Promise<HistoryPage<LedgerEntry>> {
  return page<LedgerEntry>(pool, 'workspace_token_ledger', LEDGER_COLUMNS, workspaceId, options);
}

/** A page of the workspace's owner audit log. */
export function auditPage(pool: Pool, workspaceId: string, options: HistoryOptions): Promise<HistoryPage<OwnerAuditEntry>> {
  return page<OwnerAuditEntry>(pool, 'owner_audit_log', AUDIT_COLUMNS, workspaceId, options);
}
