import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// bigint (int8) and numeric come back as strings by default; counts and balances fit in a JS
// number well past anything wabase stores, and callers should not have to parse them.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export interface PoolOptions {
  /** Default 10. */
  max?: number;
  /** Shown in pg_stat_activity. Default `wabase`. */
  application?: string;
  /** Longest wait for a connection, free or new, before the checkout fails. Default 10 s. */
  acquireTimeoutMs?: number;
  /** Per-connection limits (statement_timeout, lock_timeout in ms), set when a connection opens. */
  limits?: { statementTimeoutMs: number; lockTimeoutMs: number };
}

/** A pool with an application name (visible in pg_stat_activity) and bounded waits. */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.application ?? 'wabase',
    connectionTimeoutMillis: options.acquireTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
  });
  const limits = options.limits;
  if (limits) {
    pool.on('connect', (client) => {
      // Queued before anything the caller sends on this client, so it is in force from the start.
      client
        .query('select set_config(\'statement_timeout\', $1, false), set_config(\'lock_timeout\', $2, false)', [String(limits.statementTimeoutMs), String(limits.lockTimeoutMs)])
        .catch(() => {});
    });
  }
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => {});
  return pool;
}

/** pg-pool's error when no connection came within connectionTimeoutMillis (it carries no code). */
export function isPoolTimeout(error: unknown): boolean {
  return error instanceof Error && /^timeout exceeded when trying to connect$|^Connection terminated due to connection timeout$/.test(error.message);
}
