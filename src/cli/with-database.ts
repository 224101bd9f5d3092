import { openDatabase } from '../db/database.js';
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
