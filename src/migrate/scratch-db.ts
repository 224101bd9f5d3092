import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../errors.js';

/**
 * A throwaway database on the same server as `url` (needs CREATEDB), dropped by `drop()`.
 * Used by snapshot and check-idempotent, which must never touch the real database.
 */
export async function createScratchDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wabase_scratch_${randomBytes(5).toString('hex')}`;
  const adminUrl = new URL(url);
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template template0`);
  } catch (error) {
    throw new AppError('scratch_database_failed', `could not create a scratch database (needs CREATEDB): ${(error as Error).message}`, 503, {
      cause: error,
    });
  } finally {
    await admin.end();
  }
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl.toString() });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
