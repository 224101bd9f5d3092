import type { Pool, PoolClient } from '../db/pool.js';
import type { Logger } from '../log.js';
import { FLAG_CHANNEL, type FlagKey, pendingFlags } from './flags.js';

export interface FlagWatcherOptions {
  pool: Pool;
  logger: Logger;
  /** Called with the flags that are set; it decides which to claim. Calls never overlap. */
  onFlags(keys: FlagKey[]): Promise<void>;
  /** Poll interval while LISTEN works (a safety net). Default 5000 ms. */
  pollMs?: number;
  /** Poll interval while LISTEN is down (e.g. behind a transaction pooler). Default 1000 ms. */
  fallbackPollMs?: number;
}

/**
 * Watches runtime_flags: LISTEN on the trigger's channel for an immediate wake-up, plus polling
 * (every second while LISTEN is unavailable). Returns a stop function.
 */
export function watchFlags(options: FlagWatcherOptions): { stop(): Promise<void>; check(): Promise<void> } {
  let listener: PoolClient | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let again = false;

  const check = (): Promise<void> => {
    if (stopped) return running;
    // One check at a time; a wake-up during a check runs one more after it.
    again = true;
    running = running.then(async () => {
      if (!again || stopped) return;
      again = false;
      try {
        const keys = await pendingFlags(options.pool);
        if (keys.length > 0) await options.onFlags(keys);
      } catch (error) {
        options.logger.error({ err: error }, 'handling runtime flags failed');
      }
    });
    return running;
  };

  const listen = async () => {
    try {
      const client = await options.pool.connect();
      client.on('notification', (message) => {
        if (message.channel === FLAG_CHANNEL) void check();
      });
      client.on('error', (error) => {
        options.logger.warn({ err: error }, 'runtime flag listener lost; polling every second until it is back');
        if (listener === client) listener = null;
        client.release(true);
      });
      await client.query(`listen ${FLAG_CHANNEL}`);
      if (stopped) client.release();
      else listener = client;
    } catch (error) {
      options.logger.warn({ err: error }, 'LISTEN unavailable; polling runtime flags every second');
    }
  };

  const tick = async () => {
    if (stopped) return;
    if (!listener) await listen();
    await check();
    if (!stopped) timer = setTimeout(() => void tick(), listener ? (options.pollMs ?? 5000) : (options.fallbackPollMs ?? 1000));
  };
  void tick();

  return {
    check,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (listener) {
        const client = listener;
        listener = null;
        await client.query(`unlisten ${FLAG_CHANNEL}`).catch(() => {});
        client.release();
      }
    },
  };
}
