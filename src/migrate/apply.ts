import type pg from 'pg';
import { migrationError } from './apply-error.js';
import type { MigrationFile } from './files.js';
import { HISTORY_INSERT, insertHistory } from './history.js';
import type { Statement } from './split.js';
import { nonTransactionalReason } from './transaction-safety.js';

/** Statements that keep a file out of a transaction, with the reason; empty for a normal file. */
export function nonTransactionalStatements(file: MigrationFile): string[] {
  return file.statements.map(nonTransactionalReason).filter((reason): reason is string => reason !== null);
}

/**
 * Runs a file as `psql -f` would, recording nothing: the whole file in one message, or statement by
 * statement when it holds statements that cannot run in a transaction block.
 */
export async function runFileRaw(client: Pick<pg.ClientBase, 'query'>, file: MigrationFile): Promise<void> {
  if (nonTransactionalStatements(file).length === 0) {
    await client.query(file.sql);
    return;
  }
  for (const statement of file.statements) await client.query(statement.text);
}

/** The history insert as literal SQL (quoted by the driver), so it can travel with the file. */
function historyInsertSql(client: pg.Client, file: MigrationFile): string {
  const statements = file.statements.map((s) => client.escapeLiteral(s.text)).join(', ');
  const array = statements ? `array[${statements}]::text[]` : `'{}'::text[]`;
  return `${HISTORY_INSERT} (${client.escapeLiteral(file.version)}, ${client.escapeLiteral(file.name)}, ${array})`;
}

/** The statement that contains a file offset (or the first one). */
function statementAt(file: MigrationFile, offset: number): Statement {
  let found = file.statements[0]!;
  for (const statement of file.statements) if (statement.offset <= offset) found = statement;
  return found;
}

/**
 * Finds which statement fails when Postgres gave no position: replays the file statement by
 * statement in a transaction that is always rolled back.
 */
async function locateFailure(client: pg.Client, file: MigrationFile, original: unknown) {
  await client.query('begin');
  try {
    for (const statement of file.statements) {
      try {
        await client.query(statement.text);
      } catch (error) {
        return migrationError(file, statement, error);
      }
    }
    return migrationError(file, file.statements[0]!, original);
  } finally {
    await client.query('rollback').catch(() => {});
  }
}

/**
 * Applies one migration and records it. A normal file travels as one message — begin, the file,
 * its history row, commit — so it all happens or none of it does, in one round trip. A file with
 * statements that cannot run in a transaction runs statement by statement, and its history row
 * is written only when every statement passed.
 */
export async function applyMigration(client: pg.Client, file: MigrationFile): Promise<void> {
  if (file.statements.length === 0) {
    await insertHistory(client, { version: file.version, name: file.name, statements: [] });
    return;
  }
  if (nonTransactionalStatements(file).length > 0) {
    for (const statement of file.statements) {
      try {
        await client.query(statement.text);
      } catch (error) {
        throw migrationError(file, statement, error);
      }
    }
    await insertHistory(client, { version: file.version, name: file.name, statements: file.statements.map((s) => s.text) });
    return;
  }
  const prefix = 'begin;\n';
  // The newline ends a trailing `--` comment; the `;` ends a last statement without one.
  const message = `${prefix}${file.sql}\n;\n${historyInsertSql(client, file)};\ncommit;`;
  try {
    await client.query(message);
  } catch (error) {
    await client.query('rollback').catch(() => {});
    const position = Number((error as { position?: string }).position ?? 0);
    const offset = position - 1 - prefix.length;
    if (position > 0 && offset >= 0 && offset < file.sql.length) {
      const statement = statementAt(file, offset);
      // Re-express the position relative to the statement, as migrationError expects.
      const local = { ...(error as object), message: (error as Error).message, position: String(offset - statement.offset + 1) };
      throw migrationError(file, statement, local);
    }
    throw await locateFailure(client, file, error);
  }
}
