import type { Logger } from '../log.js';

/** A unit of background work the worker process runs until it is stopped. */
export interface WorkerTask {
  name: string;
  /** Runs until `signal` aborts; must finish in-flight work and release what it holds. */
  run(signal: AbortSignal): Promise<void>;
}

export interface Worker {
  /** Resolves when every task has stopped. */
  stop(): Promise<void>;
  done: Promise<void>;
}

/**
 * Runs every task side by side. A task that fails is logged and restarted after a pause, so one
 * bad loop never takes the others down. `stop()` aborts them all and waits for them to finish.
 */
export function startWorker(tasks: WorkerTask[], logger: Logger): Worker {
  const controller = new AbortController();
  const runTask = async (task: WorkerTask) => {
    while (!controller.signal.aborted) {
      try {
        await task.run(controller.signal);
      } catch (error) {
        if (controller.signal.aborted) break;
        logger.error({ err: error, task: task.name }, 'worker task failed; restarting in 1 s');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  const done = Promise.all(tasks.map(runTask)).then(() => undefined);
  logger.info({ tasks: tasks.map((task) => task.name) }, 'worker started');
  return {
    done,
    async stop() {
      controller.abort();
      await done;
      logger.info('worker stopped');
    },
  };
}
