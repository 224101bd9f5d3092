import pg from 'pg';
import { push } from './push.js';
import { createScratchDatabase } from './scratch-db.js';

/**
 * Runs `fn` with a connection to a throwaway database on the server of `url` that every migration
 * has been applied to; the database is dropped afterwards (snapshot, check-idempotent).
 */
export async function withMigratedScratch<T>(url: string, migrationsDir: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase(url);
  try {
    await push(scratch.url, { migrationsDir });
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await client.query('set client_min_messages = warning');
      return await fn(client);
    } finally {
      await client.end();
    }
  } finally {
    await scratch.drop();
  }
}
