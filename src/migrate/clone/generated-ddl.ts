import fs from 'node:fs';
import type pg from 'pg';
import { AppError } from '../../errors.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

const ddlSql = fs.readFileSync(new URL('./schema-ddl.sql', import.meta.url), 'utf8');

/**
 * The schema-only DDL of `db`'s user schemas, generated from its system catalog (what pg_dump
 * --schema-only --no-owner would print, for the kinds listed in schema-ddl.sql), in run order.
 * One round trip; read under `search_path = ''`, so every name and expression is fully qualified.
 */
export async function generatedSchemaDdl(db: Queryable): Promise<string[]> {
  const results = (await db.query(
    `begin read only; set local search_path = ''; ${ddlSql}; commit`,
  )) as unknown as pg.QueryResult<{ phase: number; sql: string }>[];
  return results[2]!.rows.map((row) => row.sql);
}

/**
 * Loads generated DDL into an empty scratch database. Fast path: everything in one transaction, one
 * round trip. When the phase order does not fit (a function returning a view's rows, a view using a
 * later view), statement by statement, retrying what failed until nothing more succeeds; what then
 * still fails stops the clone, naming the statement.
 */
export async function loadGeneratedDdl(db: Queryable, statements: string[]): Promise<{ passes: number }> {
  await db.query('set check_function_bodies = off; set client_min_messages = warning');
  try {
    await db.query(`begin;\n${statements.join(';\n')};\ncommit`);
    return { passes: 1 };
  } catch {
    await db.query('rollback').catch(() => {});
  }
  let pending = statements;
  let passes = 1;
  for (;;) {
    passes += 1;
    const failed: { sql: string; error: Error }[] = [];
    for (const sql of pending) {
      try {
        await db.query(sql);
      } catch (error) {
        failed.push({ sql, error: error as Error });
      }
    }
    if (failed.length === 0) return { passes };
    if (failed.length === pending.length) {
      const first = failed[0]!;
      throw new AppError('clone_failed',
        `could not build the schema clone from the catalog: ${first.error.message} in \`${first.sql.split('\n')[0]!.slice(0, 160)}\`` +
        (failed.length > 1 ? ` (and ${failed.length - 1} more statement(s))` : ''), 500, { cause: first.error });
    }
    pending = failed.map((f) => f.sql);
  }
}
