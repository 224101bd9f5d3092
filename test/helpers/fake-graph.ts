import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface GraphRequest {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

type Reply = { status: number; body: unknown; delayMs?: number };

/**
 * A local stand-in for graph.facebook.com on loopback: records every request and answers from a
 * script (a queue of replies), else with a success carrying a fresh wamid.
 */
export async function fakeGraph() {
  const requests: GraphRequest[] = [];
  const script: Reply[] = [];
  let counter = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(raw || '{}') });
      const reply = script.shift() ?? { status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.fake${++counter}` }] } };
      setTimeout(() => {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Queues replies for the next requests. */
    reply: (...replies: Reply[]) => script.push(...replies),
    error: (status: number, code: number, message = 'error') => ({ status, body: { error: { code, message, error_data: { details: message } } } }),
  };
}
