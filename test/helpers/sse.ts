import { sseParser } from '../../web/src/live/sse-frames.js';
/** A Server-Sent Events client for tests: reads a stream with fetch and keeps every frame. */
export interface SseFrame {
  event: string;
  data: unknown;
}

export interface SseClient {
  status: number;
  headers: Headers;
  frames: SseFrame[];
  /** Comments (`: ping`) seen so far. */
  comments: number;
  /** Resolves with the first frame (seen or still to come) that matches; rejects after `timeoutMs`. */
  next(match: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSseClient(url: string, token: string): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  const client: SseClient = {
    status: response.status,
    headers: response.headers,
    frames,
    comments: 0,
    ended: Promise.resolve(),
    next(match, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        let from = 0;
        const check = () => {
          for (; from < frames.length; from++) {
            if (match(frames[from]!)) {
              waiters.delete(check);
              clearTimeout(timer);
              return resolve(frames[from]!);
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(frames.map((f) => f.event))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
  if (!response.ok || !response.body) return client;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  // The web app's own parser, so the tests read the stream exactly as the page does.
  const feed = sseParser(({ event, data }) => {
    frames.push({ event, data: JSON.parse(data) });
    for (const waiter of [...waiters]) waiter();
  });
  client.ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        // Comments (`: ping`) carry no frame; count them for the heartbeat test.
        client.comments += value.split('\n').filter((line) => line.startsWith(':')).length;
        feed(value);
      }
    } catch {
      // Aborted by close().
    }
  })();
  return client;
}
