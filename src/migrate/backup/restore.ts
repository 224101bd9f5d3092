import fs from 'node:fs';
import { AppError } from '../../errors.js';
import { libpqEnv, runTool, serverMajor } from './backup.js';
import { findPgTool } from './pg-tools.js';

/** Restores a `pg_dump -Fc` file into the database at `url` (objects are dropped and recreated). */
export async function restoreDump(url: string, file: string, pgDump: string | null): Promise<void> {
  if (!fs.existsSync(file)) throw new AppError('backup_not_found', `no such backup file: ${file}`, 404);
  const major = await serverMajor(url);
  const sibling = pgDump ? pgDump.replace(/pg_dump$/, 'pg_restore') : null;
  const { tool } = findPgTool('pg_restore', major, sibling);
  if (!tool) throw new AppError('restore_unavailable', `no pg_restore of version ${major} or newer on this machine`, 412);
  const { env, dbname } = libpqEnv(url);
  await runTool(tool.path, ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${dbname}`, file], env);
}
