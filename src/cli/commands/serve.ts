import { firstRunNotice } from '../../auth/first-run.js';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { boot, type Runtime } from '../../runtime/boot.js';
import { listen } from '../../runtime/server.js';
import { onShutdownSignal } from '../../runtime/signals.js';
import { workerTasks } from '../../worker/tasks.js';
import { startWorker } from '../../worker/worker.js';
import type { Command } from '../command.js';

interface Parts {
  api: boolean;
  worker: boolean;
  migrate: boolean;
}

/**
 * Runs the chosen parts in this process until SIGINT/SIGTERM, then stops them in order:
 * stop taking requests, let the worker finish in-flight work, close the pool, stop PostgreSQL.
 * The handlers are in place before the database starts, so a Ctrl-C during start stops it too.
 * A second signal within the grace window (npm's forwarded copy of the terminal's Ctrl-C) is the
 * same request; a later one stops the embedded PostgreSQL at once and exits.
 */
async function runParts(parts: Parts): Promise<number> {
  const state: {
    database: Database | null;
    runtime: Runtime | null;
    server: { app: FastifyInstance; url: string } | null;
    worker: ReturnType<typeof startWorker> | null;
    stopping: boolean;
  } = { database: null, runtime: null, server: null, worker: null, stopping: false };
  const starting = (async () => {
    const runtime = await boot({
      migrate: parts.migrate,
      application: parts.api ? 'wabase api' : 'wabase worker',
      onDatabase: (opened) => {
        state.database = opened;
      },
    });
    state.runtime = runtime;
    if (parts.api && !state.stopping) state.server = await listen(runtime);
    if (parts.worker && !runtime.config.noWorker && !state.stopping)
      state.worker = startWorker(workerTasks(runtime), runtime.logger);
    return runtime;
  })();
  const stopped = new Promise<void>((resolve) => {
    onShutdownSignal(
      async (signal) => {
        state.stopping = true;
        // A signal during start: let the start finish (a migration is never cut), then stop in order.
        await starting.catch(() => {});
        state.runtime?.logger.info({ signal }, 'shutting down');
        await state.server?.app.close();
        await state.worker?.stop();
        await (state.runtime ? state.runtime.close() : state.database?.stop());
        resolve();
      },
      {
        onForce: (signal) => {
          const message = 'second signal: stopping PostgreSQL at once and exiting';
          if (state.runtime) state.runtime.logger.warn({ signal }, message);
          else console.error(message);
        },
        force: async () => {
          await state.database?.stopNow();
        },
      },
    );
  });
  const runtime = await starting;
  const server = state.server;
  if (server && !state.stopping) {
    const where = runtime.database.embedded
      ? `embedded PostgreSQL on port ${runtime.database.embedded.port}`
      : 'external PostgreSQL';
    const { meta } = runtime.config;
    if (meta.allowUnsigned) runtime.logger.warn('META_WEBHOOK_ALLOW_UNSIGNED is on: unsigned webhook POSTs are accepted (development only)');
    else if (!meta.appSecret) runtime.logger.warn('META_APP_SECRET is not set: webhook POSTs are refused until it is');
    console.log(
      `wabase is running at ${server.url} (API docs at ${server.url}/docs; ${where}). Ctrl-C to stop.`,
    );
    const firstRun = await firstRunNotice(runtime.pool, runtime.config, server.url).catch((error: unknown) => {
      runtime.logger.warn({ err: error }, 'could not create the first-run link');
      return null;
    });
    if (firstRun) console.log(firstRun);
  }
  await stopped;
  return 0;
}

export const start: Command = {
  name: 'start',
  summary:
    'Database up (embedded or DATABASE_URL), pending migrations applied, API server and worker started.',
  run: () => runParts({ api: true, worker: true, migrate: true }),
};

export const serve: Command = {
  name: 'serve',
  summary: 'API server only; refuses a database whose schema is behind (run wabase db push first).',
  run: () => runParts({ api: true, worker: false, migrate: false }),
};

export const worker: Command = {
  name: 'worker',
  summary: 'Worker only (outbox sender, group monitor); refuses a database whose schema is behind.',
  run: () => runParts({ api: false, worker: true, migrate: false }),
};
