import type pg from 'pg';
import type { Pool, PoolClient } from './pool.js';

export interface TransactionOptions {
  /**
   * Constant SQL sent together with `begin`, in the same round trip (values quoted with
   * pg.escapeLiteral, never user text); its rows are handed to the callback.
   */
  prelude?: string;
}

/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient, preludeRows: pg.QueryResultRow[]) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    let preludeRows: pg.QueryResultRow[] = [];
    if (options.prelude) {
      const results = (await client.query(`begin; ${options.prelude}`)) as unknown as pg.QueryResult[];
      preludeRows = results[1]!.rows;
    } else {
      await client.query('begin');
    }
    const result = await fn(client, preludeRows);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
