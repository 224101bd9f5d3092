import type pg from 'pg';
import { migrationError } from './apply-error.js';
import type { MigrationFile } from './files.js';
import { insertHistory } from './history.js';
import { nonTransactionalReason } from './transaction-safety.js';

/** Statements that keep a file out of a transaction, with the reason; empty for a normal file. */
export function nonTransactionalStatements(file: MigrationFile): string[] {
  return file.statements.map(nonTransactionalReason).filter((reason): reason is string => reason !== null);
}

/**
 * Applies one migration and records it. A normal file runs in one transaction with its history
 * row: it all happens or none of it does. A file with statements that cannot run in a transaction
 * runs statement by statement, and its history row is written only when every statement passed.
 */
export async function applyMigration(client: pg.ClientBase, file: MigrationFile): Promise<void> {
  const transactional = nonTransactionalStatements(file).length === 0;
  const history = { version: file.version, name: file.name, statements: file.statements.map((s) => s.text) };
  if (transactional) await client.query('begin');
  for (const statement of file.statements) {
    try {
      await client.query(statement.text);
    } catch (error) {
      if (transactional) await client.query('rollback').catch(() => {});
      throw migrationError(file, statement, error);
    }
  }
  try {
    await insertHistory(client, history);
    if (transactional) await client.query('commit');
  } catch (error) {
    if (transactional) await client.query('rollback').catch(() => {});
    throw error;
  }
}
