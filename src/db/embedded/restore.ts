import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { unpackDataDirectory } from '../../migrate/backup/datadir-copy.js';
import { backupStamp } from '../../migrate/backup/backup.js';
import { openDatabase } from '../database.js';
import { serverUser } from './os-user.js';

/**
 * Restores a data-directory copy into the embedded server: stops it, keeps the current directory
 * as `pg.before-restore-<stamp>`, unpacks the copy, and starts it once so PostgreSQL replays the
 * copy's WAL. Refuses while another wabase process is using the server.
 */
export async function restoreDataDirectory(config: Config, file: string): Promise<{ keptAt: string }> {
  if (config.databaseUrl) {
    throw new AppError('restore_unavailable', 'a data-directory copy restores only into the embedded database (unset DATABASE_URL)', 400);
  }
  if (!fs.existsSync(file)) throw new AppError('backup_not_found', `no such backup file: ${file}`, 404);
  const current = await openDatabase(config);
  if (current.embedded && !current.embedded.owned) {
    throw new AppError('database_in_use', 'another wabase process is using the embedded database: stop it first', 409);
  }
  await current.stop();
  const dataDir = path.join(config.home, 'pg');
  const keptAt = `${dataDir}.before-restore-${backupStamp()}`;
  fs.renameSync(dataDir, keptAt);
  try {
    await unpackDataDirectory(file, dataDir, serverUser());
    const restored = await openDatabase(config);
    await restored.stop();
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.renameSync(keptAt, dataDir);
    throw error;
  }
  return { keptAt };
}
