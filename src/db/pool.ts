import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// bigint (int8) and numeric come back as strings by default; counts and balances fit in a JS
// number well past anything wabase stores, and callers should not have to parse them.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** A pool with an application name (visible in pg_stat_activity) and bounded waits. */
export function createPool(url: string, options: { max?: number; application?: string } = {}): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.application ?? 'wabase',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => {});
  return pool;
}
