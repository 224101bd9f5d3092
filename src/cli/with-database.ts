import { openDatabase } from '../db/database.js';
import { createPool, type Pool } from '../db/pool.js';
import { type Config, loadConfig } from '../config.js';

/** Runs `fn` with the configured database up (embedded or URL), stopping what we started after. */
export async function withDatabase<T>(fn: (url: string, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    return await fn(database.url, config);
  } finally {
    await database.stop();
  }
}

/** `withDatabase` with a one-connection pool for the command, closed after it. */
export function withDatabasePool<T>(fn: (pool: Pool, config: Config) => Promise<T>): Promise<T> {
  return withDatabase(async (url, config) => {
    const pool = createPool(url, { max: 1, application: 'wabase cli' });
    try {
      return await fn(pool, config);
    } finally {
      await pool.end();
    }
  });
}
