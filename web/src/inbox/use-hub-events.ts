import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { inboxKeys } from './queries';
import { sseParser } from './sse-frames';

/** `live`: events arrive as they happen; `polling`: the server cannot LISTEN, pages re-read on a timer; `connecting`: (re)connecting. */
export type LiveState = { mode: 'live' } | { mode: 'polling'; pollMs: number } | { mode: 'connecting' };

interface HubEvent {
  kind: string;
  threadId?: string;
}

/** Events that arrive together are applied together: one re-read per burst, not one per event. */
const BATCH_MS = 40;

/**
 * The inbox's realtime stream (`GET /api/meta/whatsapp/events`, read with fetch so it carries the
 * access token). Events never patch data: they invalidate the queries they affect and the server
 * re-applies filter and sort. After a reconnect everything is re-read (events may have been missed).
 */
export function useHubEvents(workspaceId: string): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>({ mode: 'connecting' });

  useEffect(() => {
    const abort = new AbortController();
    const pending = new Set<string>();
    let timer: number | undefined;
    let everything = false;
    const ws = inboxKeys.workspace(workspaceId);
    const flush = () => {
      timer = undefined;
      // While the inbox is still re-reading, wait for it: invalidating now would cancel that read and
      // start over, and under a steady stream of events no read would ever finish. The events that
      // arrive meanwhile are applied together once it is done.
      if (queryClient.isFetching({ queryKey: ws }) > 0) {
        timer = window.setTimeout(flush, BATCH_MS);
        return;
      }
      if (everything) void queryClient.invalidateQueries({ queryKey: ws });
      else {
        void queryClient.invalidateQueries({ queryKey: inboxKeys.threadLists(workspaceId) });
        void queryClient.invalidateQueries({ queryKey: [...ws, 'counts'] });
        void queryClient.invalidateQueries({ queryKey: inboxKeys.tags(workspaceId) });
        for (const threadId of pending) {
          void queryClient.invalidateQueries({ queryKey: inboxKeys.thread(workspaceId, threadId) });
          void queryClient.invalidateQueries({ queryKey: inboxKeys.messages(workspaceId, threadId) });
        }
      }
      pending.clear();
      everything = false;
    };
    const schedule = (threadId?: string | null) => {
      if (threadId === null) everything = true;
      else if (threadId) pending.add(threadId);
      timer ??= window.setTimeout(flush, BATCH_MS);
    };

    const run = async () => {
      let attempt = 0;
      let connectedBefore = false;
      while (!abort.signal.aborted) {
        try {
          const { data, response } = await api.GET('/api/meta/whatsapp/events', { params: { query: { workspaceId } }, parseAs: 'stream', signal: abort.signal });
          if (!response.ok || !data) throw new Error(`events: ${response.status}`);
          const reader = data.pipeThrough(new TextDecoderStream()).getReader();
          const feed = sseParser(({ event, data: text }) => {
            const body = JSON.parse(text) as HubEvent & { mode?: string; pollMs?: number };
            if (event === 'ready') {
              attempt = 0;
              setState(body.mode === 'listen' ? { mode: 'live' } : body.mode === 'poll' ? { mode: 'polling', pollMs: body.pollMs ?? 3000 } : { mode: 'connecting' });
              // A first stream starts after the page read its data; any later one may have missed events.
              if (connectedBefore) schedule(null);
              connectedBefore = true;
            } else if (event !== 'expired') schedule(body.threadId);
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
        // Back off 0.5 s, 1 s, 2 s … up to 10 s; the token is read fresh on every attempt.
        await new Promise((resolve) => window.setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt++)));
      }
    };
    void run();
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [workspaceId, queryClient]);

  return state;
}
