import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SseOptions {
  /** A `: ping` comment this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** When the stream must end by itself (the access token's expiry): the client reconnects with a fresh one. */
  closeAt?: Date;
  /** A client this far behind (bytes queued) is dropped instead of buffering without bound. Default 1 MiB. */
  maxBufferedBytes?: number;
}

export interface SseStream {
  send(event: string, data: unknown): void;
  close(): void;
  /** Runs once when the stream ends, whoever ends it. */
  onClose(fn: () => void): void;
}

/**
 * Turns a reply into a Server-Sent Events stream. The reply is hijacked, so Fastify's onSend hooks
 * do not run: the headers set so far (request id, CORS) are copied, and helmet's are already on
 * the raw response.
 */
export function openSse(request: FastifyRequest, reply: FastifyReply, options: SseOptions): SseStream {
  reply.hijack();
  const raw = reply.raw;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = String(value);
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-store, no-transform',
    'connection': 'keep-alive',
    // nginx buffers responses unless told not to.
    'x-accel-buffering': 'no',
  });
  raw.flushHeaders();
  const limit = options.maxBufferedBytes ?? 1024 * 1024;
  const closers: (() => void)[] = [];
  let closed = false;

  const write = (chunk: string) => {
    if (closed) return;
    if (raw.writableLength > limit) return close();
    raw.write(chunk);
  };
  const heartbeat = setInterval(() => write(': ping\n\n'), options.heartbeatMs);
  const expiry = options.closeAt
    ? setTimeout(() => {
        write('event: expired\ndata: {}\n\n');
        close();
      }, Math.max(0, Math.min(options.closeAt.getTime() - Date.now(), 2 ** 31 - 1)))
    : undefined;

  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearTimeout(expiry);
    raw.end();
    for (const fn of closers.splice(0)) fn();
  }
  request.raw.on('close', close);
  raw.on('close', close);
  raw.on('error', close);
  // Tells EventSource-style clients how soon to come back.
  write('retry: 2000\n\n');

  return {
    send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    close,
    onClose: (fn) => (closed ? fn() : closers.push(fn)),
  };
}
