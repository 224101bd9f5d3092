import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { sseParser } from './sse-frames';

/** `live`: events arrive as they happen; `polling`: the server cannot LISTEN, pages re-read on a timer; `connecting`: (re)connecting. */
export type LiveState = { mode: 'live' } | { mode: 'polling'; pollMs: number } | { mode: 'connecting' };

/** One event as the server sends it: its kind, and ids only. */
export type LiveEvent = Record<string, unknown> & { kind?: string };

export interface LiveStreamOptions {
  /** The stream is opened again when this changes (the inbox's workspace). */
  key: string;
  /** Opens the stream (read with fetch: it carries the access token, read fresh on every attempt). */
  open(signal: AbortSignal): Promise<{ data?: ReadableStream<BufferSource> | null; response: Response }>;
  /** Every query the stream keeps fresh: all re-read after a reconnect. */
  scope: QueryKey;
  /** The queries one event makes stale. */
  affects(event: string, body: LiveEvent): QueryKey[];
}

/** Events that arrive together are applied together: one re-read per burst, not one per event. */
const BATCH_MS = 40;

/**
 * A realtime stream (Server-Sent Events over fetch) that keeps TanStack queries fresh. Events
 * never patch data: they invalidate the queries they affect and the server re-applies filter and
 * sort. After a reconnect everything in scope is re-read (events may have been missed). A 403 ends
 * it (the page says why); anything else reconnects with backoff.
 */
export function useLiveStream(options: LiveStreamOptions): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>({ mode: 'connecting' });
  // The latest callbacks, without reopening the stream when a page re-renders.
  const latest = useRef(options);
  latest.current = options;
  const { key } = options;

  useEffect(() => {
    const abort = new AbortController();
    const pending = new Map<string, QueryKey>();
    let timer: number | undefined;
    let everything = false;
    const flush = () => {
      timer = undefined;
      const keys = everything ? [latest.current.scope] : [...pending.values()];
      // While one of these queries is still being read, wait for it: invalidating now would cancel
      // that read and start over, and under a steady stream of events no read would ever finish.
      // The events that arrive meanwhile are applied together once it is done. Reads of other
      // queries do not hold these up.
      if (keys.some((queryKey) => queryClient.isFetching({ queryKey }) > 0)) {
        timer = window.setTimeout(flush, BATCH_MS);
        return;
      }
      pending.clear();
      everything = false;
      for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
    };
    const schedule = (keys: QueryKey[] | null) => {
      if (keys === null) everything = true;
      else for (const queryKey of keys) pending.set(JSON.stringify(queryKey), queryKey);
      timer ??= window.setTimeout(flush, BATCH_MS);
    };

    const run = async () => {
      let attempt = 0;
      let connectedBefore = false;
      while (!abort.signal.aborted) {
        try {
          const { data, response } = await latest.current.open(abort.signal);
          if (response.status === 403) return;
          if (!response.ok || !data) throw new Error(`events: ${response.status}`);
          const reader = data.pipeThrough(new TextDecoderStream()).getReader();
          const feed = sseParser(({ event, data: text }) => {
            const body = JSON.parse(text) as LiveEvent & { mode?: string; pollMs?: number };
            if (event === 'ready') {
              attempt = 0;
              setState(body.mode === 'listen' ? { mode: 'live' } : body.mode === 'poll' ? { mode: 'polling', pollMs: body.pollMs ?? 3000 } : { mode: 'connecting' });
              // A first stream starts after the page read its data; any later one may have missed events.
              if (connectedBefore) schedule(null);
              connectedBefore = true;
            } else if (event !== 'expired') schedule(latest.current.affects(event, body));
          });
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            feed(value);
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        setState({ mode: 'connecting' });
        connectedBefore = true;
        // Back off 0.5 s, 1 s, 2 s … up to 10 s.
        await new Promise((resolve) => window.setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt++)));
      }
    };
    void run();
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [key, queryClient]);

  return state;
}
