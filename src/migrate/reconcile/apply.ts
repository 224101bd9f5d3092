import { createHash } from 'node:crypto';
import path from 'node:path';
import type pg from 'pg';
import { AppError } from '../../errors.js';
import type { Catalog } from '../catalog.js';
import { catalogDigest } from '../digest.js';
import { loadParser, splitStatements } from '../split.js';
import { parseReconcile } from './file.js';

/** wabase's own record of applied reconciles; not the Supabase history, so `supabase migration list` is unaffected. */
const HISTORY_DDL = `
  create schema if not exists wabase;
  create table if not exists wabase.reconcile_history (
    sha256 text primary key,
    file text not null,
    source_fingerprint text not null,
    statements integer not null,
    applied_at timestamptz not null default now()
  );`;

export interface ReconcileFile {
  /** Path, for messages and the record. */
  file: string;
  sql: string;
}

/** Refuses a reconcile file planned from another catalog than the live one: the database changed since. */
export function assertFresh(reconcile: ReconcileFile, live: Catalog): void {
  const name = path.basename(reconcile.file);
  const expected = parseReconcile(name, reconcile.sql).fingerprint;
  const actual = catalogDigest(live);
  if (expected !== actual) {
    throw new AppError('reconcile_stale',
      `${name} was planned from catalog ${expected}, but the database is now ${actual}: it changed since; run wabase db reconcile again. Nothing was changed.`, 409);
  }
}

/**
 * Applies a reconcile file: its transactional part and its history row in one transaction, then
 * the non-transactional tail (concurrent index builds) statement by statement under a short
 * lock_timeout. Returns how many statements ran.
 */
export async function applyReconcile(client: pg.Client, reconcile: ReconcileFile): Promise<number> {
  const name = path.basename(reconcile.file);
  const { fingerprint, transactional, tail } = parseReconcile(name, reconcile.sql);
  await loadParser();
  // The parser refuses text with no statement at all (an empty tail): that is zero statements.
  const live = (sql: string) => (sql.replace(/--[^\n]*/g, '').trim() ? splitStatements(sql).filter((s) => s.kind !== 'Comment') : []);
  const body = live(transactional);
  // The header's `set local` lines are settings, not reconcile statements.
  const counted = body.filter((s) => s.kind !== 'VariableSetStmt').length;
  const rest = live(tail);
  const sha = createHash('sha256').update(reconcile.sql).digest('hex');
  await client.query(HISTORY_DDL);
  const record = `insert into wabase.reconcile_history (sha256, file, source_fingerprint, statements) values (${
    [sha, name, fingerprint].map((v) => client.escapeLiteral(v)).join(', ')}, ${counted + rest.length})`;
  try {
    await client.query(`begin;\n${transactional}\n;\n${record};\ncommit;`);
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw new AppError('reconcile_failed', `${name}: ${(error as Error).message}; the reconcile was rolled back, nothing of it was applied`, 500, { cause: error });
  }
  await client.query('set lock_timeout = \'2s\'');
  try {
    for (const [index, statement] of rest.entries()) {
      try {
        await client.query(statement.text);
      } catch (error) {
        throw new AppError('reconcile_failed',
          `${name}: non-transactional statement ${index + 1} of ${rest.length} failed: ${(error as Error).message}. ` +
          'The transactional part is committed; these statements are idempotent: run the rest by hand, or re-plan with wabase db reconcile', 500, { cause: error });
      }
    }
  } finally {
    await client.query('set lock_timeout = \'0\'');
  }
  return counted + rest.length;
}
