import type pg from 'pg';

/** Seed 001's audit_log kinds. */
export type AuditKind = 'connect' | 'disconnect' | 'reconnect' | 'qr_generated' | 'discovery' | 'group_rename' | 'ingest' | 'error';

/** Writes one audit_log row. */
export async function audit(db: Pick<pg.ClientBase, 'query'>, kind: AuditKind, detail: Record<string, unknown> = {}): Promise<void> {
  await db.query('insert into public.audit_log (kind, detail) values ($1, $2)', [kind, JSON.stringify(detail)]);
}
