import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** A row of `supabase_migrations.schema_migrations`. */
export interface HistoryRow {
  version: string;
  name: string;
  statements: string[];
}

/** Creates the history table exactly as the Supabase CLI does (idempotent). */
export async function ensureHistory(db: Queryable): Promise<void> {
  await db.query(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
    alter table supabase_migrations.schema_migrations add column if not exists statements text[];
    alter table supabase_migrations.schema_migrations add column if not exists name text;
  `);
}

/** Applied versions, oldest first; empty when the table does not exist yet. */
export async function readHistory(db: Queryable): Promise<HistoryRow[]> {
  const exists = await db.query(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as ok`,
  );
  if (!exists.rows[0]?.ok) return [];
  // As JSON: the driver's text[] parser is several times slower on long statement lists.
  const result = await db.query<HistoryRow>(
    `select version, coalesce(name, '') as name, coalesce(array_to_json(statements), '[]') as statements
       from supabase_migrations.schema_migrations order by version`,
  );
  return result.rows;
}

/**
 * The history insert, naming only the columns the Supabase CLI names (hosted projects add more);
 * followed by the values.
 */
export const HISTORY_INSERT = 'insert into supabase_migrations.schema_migrations (version, name, statements) values';

/** Records a version; with `ifAbsent`, an already recorded version is left as it is. Returns whether a row was written. */
export async function insertHistory(db: Queryable, row: HistoryRow, options: { ifAbsent?: boolean } = {}): Promise<boolean> {
  const result = await db.query(`${HISTORY_INSERT} ($1, $2, $3)${options.ifAbsent ? ' on conflict (version) do nothing' : ''}`, [
    row.version,
    row.name,
    row.statements,
  ]);
  return (result.rowCount ?? 0) > 0;
}

export async function deleteHistory(db: Queryable, versions: string[]): Promise<void> {
  await db.query('delete from supabase_migrations.schema_migrations where version = any($1)', [versions]);
}
