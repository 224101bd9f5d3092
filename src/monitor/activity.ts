import type { Pool } from '../db/pool.js';
import type { AuditKind } from './audit.js';
import { beforeCondition, nextBefore } from '../db/cursor.js';

export interface ActivityQuery {
  kind?: AuditKind;
  /** Cursor: an ISO timestamp or the `nextBefore` of the previous page. */
  before?: string;
  /** 1..200, default 50. */
  limit?: number;
}

/** The monitor's audit log, newest first (served by audit_log_at_desc_idx). */
export async function listActivity(pool: Pool, query: ActivityQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.kind) where.push(`kind = ${param(query.kind)}`);
  if (query.before) where.push(beforeCondition(query.before, 'at', 'id', param));
  const limit = query.limit ?? 50;
  const { rows } = await pool.query<{ id: string; kind: AuditKind; at: Date; cursor: string; detail: Record<string, unknown> }>(
    `select id, kind, at, to_json(at) #>> '{}' as cursor, detail from public.audit_log
      ${where.length ? `where ${where.join(' and ')}` : ''} order by at desc, id desc limit ${param(limit)}`,
    params,
  );
  return {
    items: rows.map(({ cursor: _cursor, ...row }) => ({ ...row, at: row.at.toISOString() })),
    nextBefore: nextBefore(rows, limit),
  };
}
