import { encryptionKey } from '../hub/crypto.js';
import { mediaArchiveTask } from '../hub/media/archive-task.js';
import { dryRunMediaGraph, graphMedia } from '../hub/media/graph-media.js';
import { dryRunSender, graphSender } from '../hub/outbox/graph.js';
import { mediaPreparer } from '../hub/outbox/media-payload.js';
import { outboxTask } from '../hub/outbox/worker-task.js';
import { templateSyncTask } from '../hub/templates/sync-task.js';
import { monitorTask } from '../monitor/worker-task.js';
import type { Runtime } from '../runtime/boot.js';
import type { WorkerTask } from './worker.js';

/** The tasks `npm run worker` runs. */
export function workerTasks(runtime: Runtime): WorkerTask[] {
  const { config } = runtime;
  const live = config.meta.sendMode === 'live';
  const graph = { baseUrl: config.meta.graphBaseUrl, version: config.meta.graphVersion };
  const media = live ? graphMedia(graph) : dryRunMediaGraph;
  const tasks: WorkerTask[] = [
    outboxTask({
      pool: runtime.servicePool,
      url: runtime.database.url,
      sender: live ? graphSender(config.meta.graphBaseUrl, config.meta.graphVersion) : dryRunSender,
      encryptionKey: live ? encryptionKey(config) : null,
      logger: runtime.logger,
      maxAttempts: config.outboxMaxAttempts,
      perConnectionPerSecond: config.sendPerConnectionPerSecond,
      media: mediaPreparer({ pool: runtime.servicePool, store: runtime.context.mediaStore, graph: media }),
    }),
  ];
  // Inbound media is fetched from Meta with the connection's token: live mode only (in dry-run
  // nothing is reachable, and the jobs wait, pending, for a live worker).
  if (live) {
    tasks.push(mediaArchiveTask({
      pool: runtime.servicePool,
      url: runtime.database.url,
      store: runtime.context.mediaStore,
      graph: media,
      encryptionKey: encryptionKey(config),
      logger: runtime.logger,
    }));
  }
  // Templates come from the Graph API: only in live mode, where tokens are real.
  if (live && config.templateSyncIntervalMinutes > 0) {
    tasks.push(templateSyncTask({
      pool: runtime.servicePool,
      target: { baseUrl: config.meta.graphBaseUrl, version: config.meta.graphVersion },
      key: encryptionKey(config),
      logger: runtime.logger,
      intervalMinutes: config.templateSyncIntervalMinutes,
    }));
  }
  if (config.monitor.enabled) {
    tasks.push(monitorTask({
      pool: runtime.servicePool,
      store: runtime.context.mediaStore,
      logger: runtime.logger,
      mediaMaxBytes: config.monitor.mediaMaxBytes,
    }));
  }
  return tasks;
}
