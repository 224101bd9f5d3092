import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../errors.js';
import { migrationError } from './apply-error.js';
import { parseSqlFile } from './files.js';
import { deleteHistory, readHistory } from './history.js';
import { takeMigrationLock } from './lock.js';
import { loadParser } from './split.js';

export interface RollbackOptions {
  rollbacksDir: string;
  /** Keep this version and older; `0` reverts everything. */
  to: string;
  lockTimeoutMs?: number;
  onReverted?: (version: string, name: string, ms: number) => void;
}

/**
 * Runs the down files of every applied version newer than `to`, newest first, each in its own
 * transaction with the removal of its history row. Refuses before touching anything when a down
 * file is missing.
 */
export async function rollback(url: string, options: RollbackOptions): Promise<{ reverted: string[] }> {
  const client = new pg.Client({ connectionString: url, application_name: 'wabase migrate' });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('set client_min_messages = warning');
    const unlock = await takeMigrationLock(client, options.lockTimeoutMs ?? 60_000);
    try {
      const history = await readHistory(client);
      if (options.to !== '0' && !history.some((row) => row.version === options.to)) {
        throw new AppError('unknown_version', `version ${options.to} is not applied; pick one from wabase db status, or 0`, 400);
      }
      const targets = history.filter((row) => row.version > options.to).reverse();
      const downs = targets.map((row) => ({
        row,
        file: path.join(options.rollbacksDir, `${row.version}_${row.name}.down.sql`),
      }));
      const missing = downs.filter((down) => !fs.existsSync(down.file)).map((down) => path.basename(down.file));
      if (missing.length > 0) {
        throw new AppError('rollback_missing', `no down file for: ${missing.join(', ')} (in ${options.rollbacksDir}); nothing was reverted`, 409);
      }
      await loadParser();
      const reverted: string[] = [];
      for (const { row, file } of downs) {
        const started = performance.now();
        const sql = fs.readFileSync(file, 'utf8');
        const statements = parseSqlFile(file, sql);
        await client.query('begin');
        for (const statement of statements) {
          try {
            await client.query(statement.text);
          } catch (error) {
            await client.query('rollback').catch(() => {});
            throw migrationError({ version: row.version, name: row.name, path: file, sql, checksum: '', statements, parsed: true }, statement, error);
          }
        }
        await deleteHistory(client, [row.version]);
        await client.query('commit');
        reverted.push(row.version);
        options.onReverted?.(row.version, row.name, performance.now() - started);
      }
      return { reverted };
    } finally {
      await unlock().catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
