import { jwtKey } from '../auth/jwt.js';
import { type Config, loadConfig } from '../config.js';
import { type Database, openDatabase } from '../db/database.js';
import { createPool, type Pool } from '../db/pool.js';
import { AppError } from '../errors.js';
import type { AppContext } from '../http/context.js';
import { createLogger, type Logger, resolveLogFormat } from '../log.js';
import { projectPaths } from '../migrate/files.js';
import { requiredVersions, schemaNotReadyReason } from '../migrate/status.js';
import { type PushEvent, push } from '../migrate/push.js';
import { createMediaStore } from '../storage/create.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  database: Database;
  /** Member requests (statement and lock timeouts, bounded waits). */
  pool: Pool;
  /** Webhook ingest and the worker: never starved by member requests. */
  servicePool: Pool;
  context: AppContext;
  /** Closes the pools, then stops the embedded server (if we run one). */
  close(): Promise<void>;
}

/**
 * Brings the database up (embedded or URL) and builds what every process shares.
 * With `migrate`, pending migrations are applied first (as `npm start` does); otherwise a database
 * that lacks migrations this build needs is refused.
 */
export async function boot(options: {
  migrate: boolean;
  application: string;
  /** Told the database as soon as it is up (before migrations), so a forced exit can stop it. */
  onDatabase?: (database: Database) => void;
}): Promise<Runtime> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'wabase', resolveLogFormat(config.logFormat));
  const database = await openDatabase(config, (message) => logger.info(message));
  options.onDatabase?.(database);
  const paths = projectPaths();
  try {
    if (options.migrate) {
      const result = await push(database.url, {
        migrationsDir: paths.migrations,
        onEvent: (event: PushEvent) => {
          if (event.type === 'migration')
            logger.info({ ms: Math.round(event.ms) }, `applied ${event.version}_${event.name}`);
        },
      });
      if (result.applied.length > 0) logger.info(`applied ${result.applied.length} migration(s)`);
    }
    // Member requests get their own pool with time limits; webhook ingest and the worker another,
    // so a crowd of slow member requests cannot starve the work Meta and the outbox wait on.
    const pool = createPool(database.url, {
      max: config.dbPoolMax,
      application: options.application,
      acquireTimeoutMs: config.database.acquireTimeoutMs,
      limits: config.database,
    });
    const servicePool = createPool(database.url, { max: config.dbPoolMax, application: `${options.application} (service)` });
    const requiredMigrations = await requiredVersions(paths.migrations);
    const key = jwtKey(config);
    const mediaStore = await createMediaStore(config.storage, key);
    const context: AppContext = { config, pool, servicePool, logger, jwtKey: key, requiredMigrations, mediaStore };
    const behind = await schemaNotReadyReason(pool, requiredMigrations);
    if (behind) {
      await Promise.all([pool.end(), servicePool.end()]);
      throw new AppError(
        'schema_behind',
        behind.startsWith('database schema is behind')
          ? 'database schema is behind: run wabase db push'
          : behind,
        503,
      );
    }
    return {
      config,
      logger,
      database,
      pool,
      servicePool,
      context,
      async close() {
        await Promise.all([pool.end().catch(() => {}), servicePool.end().catch(() => {})]);
        await database.stop();
      },
    };
  } catch (error) {
    await database.stop().catch(() => {});
    throw error;
  }
}
