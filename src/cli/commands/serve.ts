import { firstRunNotice } from '../../auth/first-run.js';
import { boot } from '../../runtime/boot.js';
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
 */
async function runParts(parts: Parts): Promise<number> {
  const runtime = await boot({
    migrate: parts.migrate,
    application: parts.api ? 'wabase api' : 'wabase worker',
  });
  const server = parts.api ? await listen(runtime) : null;
  const worker =
    parts.worker && !runtime.config.noWorker ? startWorker(workerTasks(runtime), runtime.logger) : null;
  if (server) {
    const where = runtime.database.embedded
      ? `embedded PostgreSQL on port ${runtime.database.embedded.port}`
      : 'external PostgreSQL';
    console.log(
      `wabase is running at ${server.url} (API docs at ${server.url}/docs; ${where}). Ctrl-C to stop.`,
    );
    const firstRun = await firstRunNotice(runtime.pool, runtime.config, server.url).catch((error: unknown) => {
      runtime.logger.warn({ err: error }, 'could not create the first-run link');
      return null;
    });
    if (firstRun) console.log(firstRun);
  }
  await new Promise<void>((resolve) => {
    onShutdownSignal(async (signal) => {
      runtime.logger.info({ signal }, 'shutting down');
      await server?.app.close();
      await worker?.stop();
      await runtime.close();
      resolve();
    });
  });
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
