import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface GraphRequest {
  method: string;
  /** The request URL: path and query. */
  path: string;
  authorization: string | undefined;
  /** The JSON body; {} for a body that is not JSON (a multipart upload: see `raw`). */
  body: Record<string, unknown>;
  /** The body's bytes, as sent. */
  raw: Buffer;
  contentType: string | undefined;
}

/** A scripted answer: JSON `body`, or `bytes` with `contentType` (a media download). */
export type Reply = { status: number; body?: unknown; bytes?: Uint8Array; contentType?: string; delayMs?: number };

/** Answers a request itself (media resolve, download, upload), or null to leave it to the script. */
export type Handler = (request: GraphRequest) => Reply | null | Promise<Reply | null>;

/** The Graph calls of Embedded Signup and "test connection", by the path they use. */
export const GRAPH_STEPS = {
  exchange: /^\/v[\d.]+\/oauth\/access_token\?/,
  subscribe: /^\/v[\d.]+\/\d+\/subscribed_apps$/,
  register: /^\/v[\d.]+\/\d+\/register$/,
  details: /^\/v[\d.]+\/\d+\?fields=/,
  templates: /^\/v[\d.]+\/[^/]+\/message_templates(\?|$)/,
  messages: /^\/v[\d.]+\/[^/]+\/messages$/,
} as const;

/** A WABA's templates as the fake serves them, `pageSize` a page (`paging.cursors.after` = the next index). */
const wabaTemplates = new Map<string, { list: Record<string, unknown>[]; pageSize: number }>();

function templatesPage(path: string): Reply {
  const url = new URL(path, 'http://fake');
  const waba = url.pathname.split('/')[2]!;
  const entry = wabaTemplates.get(waba) ?? { list: [], pageSize: 100 };
  const start = Number(url.searchParams.get('after') ?? 0);
  const size = Math.min(entry.pageSize, Number(url.searchParams.get('limit') ?? 100));
  const data = entry.list.slice(start, start + size);
  const more = start + size < entry.list.length;
  return {
    status: 200,
    body: { data, paging: { cursors: { before: String(start), after: String(start + size) }, ...(more ? { next: `https://graph.example/${waba}/message_templates?after=${start + size}` } : {}) } },
  };
}

/** What the fake answers a call nobody scripted: Graph's success shape for each kind of call. */
function defaultReply(method: string, path: string, next: () => number, body: Record<string, unknown> = {}): Reply {
  if (method === 'GET' && GRAPH_STEPS.templates.test(path)) return templatesPage(path);
  if (GRAPH_STEPS.exchange.test(path)) return { status: 200, body: { access_token: `EAAG-fake-business-token-${next()}`, token_type: 'bearer' } };
  if (method === 'POST' && (GRAPH_STEPS.subscribe.test(path) || GRAPH_STEPS.register.test(path))) return { status: 200, body: { success: true } };
  if (method === 'GET' && GRAPH_STEPS.details.test(path)) {
    const id = /\/(\d+)\?/.exec(path)?.[1] ?? '0';
    return {
      status: 200,
      body: {
        id,
        display_phone_number: `+62 812-${id.slice(-4)}`,
        verified_name: `Toko ${id.slice(-4)}`,
        quality_rating: 'GREEN',
        code_verification_status: 'VERIFIED',
        name_status: 'APPROVED',
        platform_type: 'CLOUD_API',
        throughput: { level: 'STANDARD' },
      },
    };
  }
  // Marking a message read answers {success: true} (Meta "mark messages as read").
  if (body.status === 'read') return { status: 200, body: { success: true } };
  return { status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.fake${next()}` }] } };
}

/**
 * A local stand-in for graph.facebook.com on loopback: records every request and answers from a
 * script — replies queued for a kind of call (`replyTo`), then replies queued for any call
 * (`reply`) — else with Graph's success shape for that call (a fresh wamid for a send, a fresh
 * business token for a code exchange, `{success: true}`, a number's details).
 */
export async function fakeGraph(options: { latencyMs?: number; recordRequests?: boolean } = {}) {
  const requests: GraphRequest[] = [];
  const handlers: Handler[] = [];
  const script: Reply[] = [];
  const routed: { match: RegExp; reply: Reply }[] = [];
  let counter = 0;
  const next = () => ++counter;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
    });
    req.on('end', () => void (async () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '';
      const raw = Buffer.concat(chunks);
      const contentType = req.headers['content-type'];
      let body: Record<string, unknown> = {};
      if (!contentType || contentType.includes('json')) body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
      const request = { method, path, authorization: req.headers.authorization, body, raw, contentType };
      if (options.recordRequests !== false) requests.push(request);
      const at = routed.findIndex((entry) => entry.match.test(path));
      let reply: Reply | null = at >= 0 ? routed.splice(at, 1)[0]!.reply : null;
      for (const handle of handlers) reply ??= await handle(request);
      reply ??= script.shift() ?? defaultReply(method, path, next, body);
      const answer = reply;
      setTimeout(() => {
        if (answer.bytes) {
          res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/octet-stream', 'content-length': answer.bytes.length });
          res.end(answer.bytes);
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body ?? {}));
      }, (answer.delayMs ?? 0) + (options.latencyMs ?? 0));
    })());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Queues replies for the next requests, whatever they are. */
    reply: (...replies: Reply[]) => script.push(...replies),
    /** Queues replies for the next requests whose URL matches (a GRAPH_STEPS entry, say): failure injection per step. */
    replyTo: (match: RegExp, ...replies: Reply[]) => routed.push(...replies.map((reply) => ({ match, reply }))),
    /** Adds a handler that answers some requests itself (test/helpers/fake-graph-media.ts). */
    handle: (handler: Handler) => handlers.push(handler),
    /** Sets the templates `GET /{waba_id}/message_templates` serves, `pageSize` per page. */
    setTemplates: (wabaId: string, list: Record<string, unknown>[], pageSize = 100) => void wabaTemplates.set(wabaId, { list, pageSize }),
    /** The requests of one kind of call. */
    calls: (match: RegExp) => requests.filter((request) => match.test(request.path)),
    error: (status: number, code: number, message = 'error', subcode?: number) =>
      ({ status, body: { error: { code, message, error_data: { details: message }, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: 'FAKE' } } }),
  };
}
