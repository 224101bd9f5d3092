import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hubChannel } from '../hub/realtime/hub-events.js';
import { monitorChannel } from '../monitor/realtime/monitor-events.js';
import { type DeliveryMode, type EventChannel, PgEventBus } from '../realtime/pg-event-bus.js';
import type { AppContext } from './context.js';
import { currentUser } from './plugins/auth.js';
import { openSse, type SseStream } from './sse.js';

/** How often a page re-reads while the server cannot LISTEN (sent to the page in `ready`). */
export const POLL_MS = 3000;

export interface LiveStreams {
  readonly bus: PgEventBus;
  /**
   * Turns an authorized request into a live stream of one channel's topic: `ready {mode}` first and
   * on every change of delivery mode, then each event the filter lets through as `event: <kind>`,
   * `: ping` heartbeats, and `event: expired` when the access token expires.
   */
  serve<E extends { kind: string }>(
    request: FastifyRequest, reply: FastifyReply, channel: EventChannel<E>, topic: string, filter?: (event: E) => boolean,
  ): void;
}

/**
 * The realtime plumbing every live page shares (the inbox's and the monitor's streams): one
 * LISTEN connection for the process, stream bookkeeping, and open streams ended when the app
 * closes (they would otherwise hold app.close() and Ctrl-C until every browser leaves).
 */
export function liveStreams(app: FastifyInstance, ctx: AppContext): LiveStreams {
  const bus = new PgEventBus({ pool: ctx.servicePool ?? ctx.pool, logger: ctx.logger, channels: [hubChannel, monitorChannel] as EventChannel<unknown>[] });
  const streams = new Set<SseStream>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.close();
  });
  app.addHook('onClose', async () => bus.stop());

  return {
    bus,
    serve(request, reply, channel, topic, filter) {
      const user = currentUser(request);
      const stream = openSse(request, reply, {
        heartbeatMs: ctx.config.sseHeartbeatMs,
        ...(user.exp ? { closeAt: new Date(user.exp * 1000) } : {}),
      });
      streams.add(stream);
      const ready = (mode: DeliveryMode) => stream.send('ready', { mode, ...(mode === 'listen' ? {} : { pollMs: POLL_MS }) });
      const unsubscribe = bus.subscribe(channel, topic, {
        event: (event) => {
          if (!filter || filter(event)) stream.send(event.kind, event);
        },
        mode: ready,
      });
      stream.onClose(() => {
        unsubscribe();
        streams.delete(stream);
      });
      ready(bus.mode);
    },
  };
}
