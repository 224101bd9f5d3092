import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { lineColumn, loadParser, SqlSyntaxError, type Statement, splitStatements } from './split.js';

/** `<version>_<name>.sql`, the Supabase CLI's pattern. */
export const MIGRATION_FILE = /^([0-9]+)_(.*)\.sql$/;

export interface MigrationFile {
  version: string;
  name: string;
  /** Absolute path. */
  path: string;
  sql: string;
  /** sha256 of the file, for lock files and messages. */
  checksum: string;
  /** Parsed statements; empty until `parseMigrations` ran for files read with `parse: false`. */
  statements: Statement[];
  parsed: boolean;
}

export interface ProjectPaths {
  migrations: string;
  rollbacks: string;
  seed: string;
  lock: string;
  backups: string;
}

/** Where the migration toolchain reads and writes, under a project root (default: cwd). */
export function projectPaths(root = process.cwd()): ProjectPaths {
  const supabase = path.join(root, 'supabase');
  return {
    migrations: path.join(supabase, 'migrations'),
    rollbacks: path.join(supabase, 'rollbacks'),
    seed: path.join(supabase, 'seed.sql'),
    lock: path.join(supabase, 'schema.lock.json'),
    backups: path.join(supabase, 'backups'),
  };
}

/** Parses one SQL file; a syntax error names the file, line and column. */
export function parseSqlFile(file: string, sql: string): Statement[] {
  try {
    return splitStatements(sql);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    // libpg-query reports a 0-based cursor position.
    const { line, column } = lineColumn(sql, Math.max(0, error.position));
    throw new AppError(
      'migration_syntax_error',
      `${path.basename(file)}:${line}:${column}: ${error.message}`,
      400,
      {
        cause: error,
      },
    );
  }
}

/** Parses files read with `parse: false` (the parser loads once, on first use). */
export async function parseMigrations(files: MigrationFile[]): Promise<void> {
  const pending = files.filter((file) => !file.parsed);
  if (pending.length === 0) return;
  await loadParser();
  for (const file of pending) {
    file.statements = parseSqlFile(file.path, file.sql);
    file.parsed = true;
  }
}

/**
 * Every migration in `dir`, ordered by version. Files not matching the pattern are ignored.
 * With `parse: false` the parser is not loaded (a push with nothing pending never needs it).
 */
export async function readMigrations(dir: string, options: { parse?: boolean } = {}): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: MigrationFile[] = [];
  for (const name of names.sort()) {
    const match = MIGRATION_FILE.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    const sql = fs.readFileSync(file, 'utf8');
    files.push({
      version: match[1]!,
      name: match[2]!,
      path: file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
      statements: [],
      parsed: false,
    });
  }
  // Versions compare as text in the history table; sort the same way, and refuse duplicates.
  files.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.version === files[i - 1]!.version) {
      throw new AppError(
        'duplicate_migration_version',
        `two migration files share version ${files[i]!.version}: ${path.basename(files[i - 1]!.path)} and ${path.basename(files[i]!.path)}`,
        400,
      );
    }
  }
  if (options.parse !== false) await parseMigrations(files);
  return files;
}
