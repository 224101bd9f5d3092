import path from 'node:path';
import { AppError } from '../errors.js';
import type { MigrationFile } from './files.js';
import { lineColumn, type Statement } from './split.js';

/** SQLSTATEs that, in a migration that once ran cleanly, mostly mean the database drifted. */
const DRIFT_STATES = new Set([
  '42P07', // duplicate_table (relation already exists)
  '42710', // duplicate_object
  '42701', // duplicate_column
  '42723', // duplicate_function
  '42P06', // duplicate_schema
  '42P01', // undefined_table
  '42703', // undefined_column
  '42883', // undefined_function
  '42704', // undefined_object
  '3F000', // invalid_schema_name
  '23502', // not_null_violation
]);

interface PgErrorFields {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: string;
}

/** A statement of a migration failed; says where in the file, why, and what to do. */
export class MigrationError extends AppError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly sqlstate: string | undefined,
    readonly pgMessage: string,
    readonly report: string,
    cause: unknown,
  ) {
    super('migration_failed', report, 500, {
      cause,
      details: { file, line, column, sqlstate, message: pgMessage },
    });
  }
}

function caret(sql: string, offset: number): string {
  const lineStart = sql.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = sql.indexOf('\n', offset);
  const text = sql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  return `${text}\n${' '.repeat(offset - lineStart)}^`;
}

/** Maps a Postgres error in `statement` back to `file` (line:column through the statement's offset). */
export function migrationError(file: MigrationFile, statement: Statement, error: unknown): MigrationError {
  const pgError = error as PgErrorFields;
  const position = Number(pgError.position ?? 0);
  const offset = statement.offset + (position > 0 ? position - 1 : 0);
  const { line, column } = lineColumn(file.sql, offset);
  const name = path.basename(file.path);
  const lines = [
    `${name}:${line}:${column}: ${pgError.message}${pgError.code ? ` (SQLSTATE ${pgError.code})` : ''}`,
  ];
  if (pgError.detail) lines.push(`DETAIL: ${pgError.detail}`);
  if (pgError.hint) lines.push(`HINT: ${pgError.hint}`);
  // Without a position (say, "already exists"), the caret marks the start of the statement.
  lines.push(caret(file.sql, offset));
  if (pgError.code && DRIFT_STATES.has(pgError.code)) {
    lines.push(
      'The database has likely drifted from the migrations (an object was created, changed or dropped by hand).',
      'Run `wabase db diff` to see how, then make the migration idempotent or write a new one that reconciles it.',
    );
  }
  lines.push(`The migration was rolled back; nothing of ${name} was applied.`);
  return new MigrationError(name, line, column, pgError.code, pgError.message, lines.join('\n'), error);
}
