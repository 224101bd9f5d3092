/**
 * Meta's media endpoints for the archive bench, as its own process: `GET /{version}/{media_id}`
 * answers a download URL on this server and `GET /lookaside/{media_id}` the file's bytes, each after
 * `latencyMs` (argv: latencyMs bytesPerFile). A media id's bytes are derived from the id, so every
 * item is a distinct file (no dedupe short-cut). Prints its base URL.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';

const [latencyArg, bytesArg] = process.argv.slice(2);
const latencyMs = Number(latencyArg ?? 100);
const size = Number(bytesArg ?? 20_000);

export const benchFileBytes = (mediaId: string, bytes = size) => {
  const seed = createHash('sha256').update(mediaId).digest();
  return Buffer.concat([seed, Buffer.alloc(Math.max(0, bytes - seed.length), seed[0])]);
};

const server = http.createServer((req, res) => {
  const path = req.url ?? '';
  setTimeout(() => {
    const download = /^\/lookaside\/([^/?]+)/.exec(path);
    if (download) {
      const bytes = benchFileBytes(decodeURIComponent(download[1]!));
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length });
      res.end(bytes);
      return;
    }
    const resolve = /^\/v[\d.]+\/([^/?]+)\?/.exec(path);
    if (resolve) {
      const id = decodeURIComponent(resolve[1]!);
      const bytes = benchFileBytes(id);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: `http://127.0.0.1:${port}/lookaside/${encodeURIComponent(id)}`, mime_type: 'image/jpeg',
        sha256: createHash('sha256').update(bytes).digest('hex'), file_size: bytes.length, id, messaging_product: 'whatsapp' }));
      return;
    }
    res.writeHead(404).end();
  }, latencyMs);
});
let port = 0;
server.listen(0, '127.0.0.1', () => {
  port = (server.address() as { port: number }).port;
  process.stdout.write(`http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
