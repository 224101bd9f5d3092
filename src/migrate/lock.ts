import type pg from 'pg';
import { AppError } from '../errors.js';

/** Advisory lock key shared by every wabase process that migrates a database. */
const MIGRATION_LOCK_KEY = 'wabase:migrations';

/**
 * Takes the session advisory lock that serialises migrations, waiting at most `timeoutMs`.
 * Returns the function that releases it.
 */
export async function takeMigrationLock(
  client: pg.ClientBase,
  timeoutMs: number,
): Promise<() => Promise<void>> {
  await client.query(`select set_config('lock_timeout', $1, false)`, [
    `${Math.max(1, Math.round(timeoutMs))}ms`,
  ]);
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new AppError(
        'migration_lock_timeout',
        `another migration holds the lock on this database; gave up after ${Math.round(timeoutMs / 1000)} s (--lock-timeout)`,
        409,
        { cause: error },
      );
    }
    throw error;
  } finally {
    await client.query(`select set_config('lock_timeout', '0', false)`);
  }
  return async () => {
    await client.query('select pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK_KEY]);
  };
}
