import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Pool } from '../../db/pool.js';
import type { Logger } from '../../log.js';

/** The channel the inbox's triggers notify (migration 20261201000700). */
export const HUB_CHANNEL = 'wabase_hub_events';

export const HUB_EVENT_KINDS = ['thread.updated', 'message.created', 'message.status'] as const;
export type HubEventKind = (typeof HUB_EVENT_KINDS)[number];

/** One change, as the triggers send it: ids only, never content. */
export interface HubEvent {
  kind: HubEventKind;
  workspaceId: string;
  threadId?: string;
  messageId?: string;
  at: string;
}

/**
 * How events reach subscribers: `listen` (NOTIFY, at once), `poll` (LISTEN is unavailable, e.g.
 * behind a transaction pooler: clients re-read on a timer) or `down` (the listener is reconnecting;
 * events may be missed, so subscribers re-read everything when it is back).
 */
export type DeliveryMode = 'listen' | 'poll' | 'down';

export interface HubSubscriber {
  event(event: HubEvent): void;
  /** The delivery mode changed; `listen` after `down` means "re-read, you may have missed some". */
  mode(mode: DeliveryMode): void;
}

export interface HubEventBusOptions {
  pool: Pool;
  logger: Logger;
  /** How long a probe NOTIFY may take to come back before LISTEN counts as unavailable. Default 2000 ms. */
  probeTimeoutMs?: number;
  /** Wait before listening again after losing the connection or finding LISTEN unavailable. Default 1000 ms, then 30 s in poll mode. */
  retryMs?: number;
}

function parseEvent(payload: string | undefined): (HubEvent & { probe?: string }) | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<HubEvent> & { probe?: string };
    if (typeof value.probe === 'string') return value as HubEvent & { probe: string };
    if (typeof value.workspaceId !== 'string' || !HUB_EVENT_KINDS.includes(value.kind as HubEventKind)) return null;
    return {
      kind: value.kind as HubEventKind,
      workspaceId: value.workspaceId,
      ...(typeof value.threadId === 'string' ? { threadId: value.threadId } : {}),
      ...(typeof value.messageId === 'string' ? { messageId: value.messageId } : {}),
      at: typeof value.at === 'string' ? value.at : new Date().toISOString(),
    };
  } catch {
    return null;
  }
}

/**
 * One LISTEN connection per process, fanned out to the SSE streams of each workspace. Started by
 * the first subscriber. A probe NOTIFY proves that notifications really arrive (a transaction
 * pooler accepts LISTEN and then delivers nothing); without it the bus reports `poll`.
 */
export class HubEventBus {
  private readonly subscribers = new Map<string, Set<HubSubscriber>>();
  private client: pg.Client | null = null;
  private current: DeliveryMode = 'down';
  private started = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private probe: { id: string; resolve(): void } | null = null;

  constructor(private readonly options: HubEventBusOptions) {}

  get mode(): DeliveryMode {
    return this.current;
  }

  /** Events of `workspaceId` only. Returns the unsubscribe function. */
  subscribe(workspaceId: string, subscriber: HubSubscriber): () => void {
    let set = this.subscribers.get(workspaceId);
    if (!set) this.subscribers.set(workspaceId, (set = new Set()));
    set.add(subscriber);
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(workspaceId) === set) this.subscribers.delete(workspaceId);
    };
  }

  /** Open streams, for the memory benchmark and tests. */
  get subscriberCount(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    if (client) {
      await client.end().catch(() => {});
    }
  }

  private setMode(mode: DeliveryMode): void {
    if (mode === this.current) return;
    this.current = mode;
    for (const set of this.subscribers.values()) for (const subscriber of set) subscriber.mode(mode);
  }

  private deliver(payload: string | undefined): void {
    const event = parseEvent(payload);
    if (!event) return;
    if ('probe' in event && event.probe) {
      if (this.probe?.id === event.probe) this.probe.resolve();
      return;
    }
    const set = this.subscribers.get(event.workspaceId);
    if (set) for (const subscriber of set) subscriber.event(event);
  }

  private retry(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), ms);
    // A retry never keeps a process alive on its own.
    this.timer.unref();
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.client) return;
    let client: pg.Client | null = null;
    try {
      // Its own connection, not a pool slot: a LISTEN holds it for the life of the process, and
      // a pool waiting to end would wait for it forever.
      client = new pg.Client({ ...this.options.pool.options, application_name: 'wabase (inbox events)' });
      const own = client;
      await own.connect();
      own.on('notification', (message) => {
        if (message.channel === HUB_CHANNEL) this.deliver(message.payload);
      });
      own.on('error', (error) => {
        if (this.client !== own) return;
        this.options.logger.warn({ err: error }, 'inbox event listener lost; reconnecting');
        this.client = null;
        void own.end().catch(() => {});
        this.setMode('down');
        this.retry(this.options.retryMs ?? 1000);
      });
      await own.query(`listen ${HUB_CHANNEL}`);
      this.client = own;
      if (this.stopped) return void (await this.stop());
      if (await this.probeArrives()) return this.setMode('listen');
      this.options.logger.warn('LISTEN delivers nothing here (a transaction pooler?): inbox pages poll instead');
      this.client = null;
      void own.end().catch(() => {});
      this.setMode('poll');
      this.retry(30_000);
    } catch (error) {
      if (client && this.client !== client) void client.end().catch(() => {});
      this.client = null;
      this.options.logger.warn({ err: error }, 'inbox event listener could not start; retrying');
      this.setMode('down');
      this.retry(this.options.retryMs ?? 1000);
    }
  }

  /** Sends a NOTIFY from another connection and waits for it on ours. */
  private async probeArrives(): Promise<boolean> {
    const id = randomUUID();
    const arrived = new Promise<void>((resolve) => (this.probe = { id, resolve }));
    await this.options.pool.query('select pg_notify($1, $2)', [HUB_CHANNEL, JSON.stringify({ probe: id })]);
    let timeout: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      arrived.then(() => true),
      new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), this.options.probeTimeoutMs ?? 2000))),
    ]);
    clearTimeout(timeout);
    this.probe = null;
    return result;
  }
}
