import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';

/**
 * How events reach subscribers: `listen` (NOTIFY, at once), `poll` (LISTEN is unavailable, e.g.
 * behind a transaction pooler: clients re-read on a timer) or `down` (the listener is reconnecting;
 * events may be missed, so subscribers re-read everything when it is back).
 */
export type DeliveryMode = 'listen' | 'poll' | 'down';

export interface EventSubscriber<E> {
  event(event: E): void;
  /** The delivery mode changed; `listen` after `down` means "re-read, you may have missed some". */
  mode(mode: DeliveryMode): void;
}

/**
 * A NOTIFY channel and how to read its payloads: the event, and the topic it belongs to (the
 * inbox's workspace, the monitor's one deployment). A payload it does not recognise is null.
 */
export interface EventChannel<E> {
  name: string;
  parse(payload: Record<string, unknown>): { topic: string; event: E } | null;
}

export interface PgEventBusOptions {
  pool: Pool;
  logger: Logger;
  /** Every channel this bus listens to, on its one connection. */
  channels: EventChannel<unknown>[];
  /** How long a probe NOTIFY may take to come back before LISTEN counts as unavailable. Default 2000 ms. */
  probeTimeoutMs?: number;
  /** Wait before listening again after losing the connection or finding LISTEN unavailable. Default 1000 ms, then 30 s in poll mode. */
  retryMs?: number;
}

type Subscriber = EventSubscriber<unknown>;

/**
 * One LISTEN connection per process for every realtime channel (the inbox's, the monitor's),
 * fanned out to the SSE streams of each topic. Started by the first subscriber. A probe NOTIFY
 * proves that notifications really arrive (a transaction pooler accepts LISTEN and then delivers
 * nothing); without it the bus reports `poll`.
 */
export class PgEventBus {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly channels: Map<string, EventChannel<unknown>>;
  private client: pg.Client | null = null;
  private current: DeliveryMode = 'down';
  private started = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private probe: { id: string; resolve(): void } | null = null;

  constructor(private readonly options: PgEventBusOptions) {
    if (options.channels.length === 0) throw new Error('PgEventBus needs at least one channel');
    this.channels = new Map(options.channels.map((channel) => [channel.name, channel]));
  }

  get mode(): DeliveryMode {
    return this.current;
  }

  /** Events of one channel's `topic` only. Returns the unsubscribe function. */
  subscribe<E>(channel: EventChannel<E>, topic: string, subscriber: EventSubscriber<E>): () => void {
    if (this.channels.get(channel.name) !== channel) throw new Error(`this bus does not listen to ${channel.name}`);
    const key = `${channel.name}\u0000${topic}`;
    let set = this.subscribers.get(key);
    if (!set) this.subscribers.set(key, (set = new Set()));
    const own = subscriber as Subscriber;
    set.add(own);
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
    return () => {
      set.delete(own);
      if (set.size === 0 && this.subscribers.get(key) === set) this.subscribers.delete(key);
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

  private deliver(channelName: string, payload: string | undefined): void {
    const channel = this.channels.get(channelName);
    if (!channel || !payload) return;
    let value: unknown;
    try {
      value = JSON.parse(payload);
    } catch {
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    const record = value as Record<string, unknown>;
    if (typeof record.probe === 'string') {
      if (this.probe?.id === record.probe) this.probe.resolve();
      return;
    }
    const parsed = channel.parse(record);
    if (!parsed) return;
    const set = this.subscribers.get(`${channelName}\u0000${parsed.topic}`);
    if (set) for (const subscriber of set) subscriber.event(parsed.event);
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
      client = new pg.Client({ ...this.options.pool.options, application_name: 'wabase (live events)' });
      const own = client;
      await own.connect();
      own.on('notification', (message) => this.deliver(message.channel, message.payload));
      own.on('error', (error) => {
        if (this.client !== own) return;
        this.options.logger.warn({ err: error }, 'live event listener lost; reconnecting');
        this.client = null;
        void own.end().catch(() => {});
        this.setMode('down');
        this.retry(this.options.retryMs ?? 1000);
      });
      // Channel names are our own constants, never input.
      for (const name of this.channels.keys()) await own.query(`listen ${name}`);
      this.client = own;
      if (this.stopped) return void (await this.stop());
      if (await this.probeArrives()) return this.setMode('listen');
      this.options.logger.warn('LISTEN delivers nothing here (a transaction pooler?): live pages poll instead');
      this.client = null;
      void own.end().catch(() => {});
      this.setMode('poll');
      this.retry(30_000);
    } catch (error) {
      if (client && this.client !== client) void client.end().catch(() => {});
      this.client = null;
      this.options.logger.warn({ err: error }, 'live event listener could not start; retrying');
      this.setMode('down');
      this.retry(this.options.retryMs ?? 1000);
    }
  }

  /** Sends a NOTIFY from another connection and waits for it on ours. */
  private async probeArrives(): Promise<boolean> {
    const id = randomUUID();
    const arrived = new Promise<void>((resolve) => (this.probe = { id, resolve }));
    const channel = this.channels.keys().next().value!;
    await this.options.pool.query('select pg_notify($1, $2)', [channel, JSON.stringify({ probe: id })]);
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
