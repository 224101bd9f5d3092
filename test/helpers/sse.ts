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
  client.ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) client.comments++;
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) frames.push({ event, data: JSON.parse(data) });
          for (const waiter of [...waiters]) waiter();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return client;
}
