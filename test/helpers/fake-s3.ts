import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Recomputes a SigV4 query-string signature (what S3 does for a presigned GET): the canonical
 * request over method, path, sorted query and the host header, signed with the secret key.
 */
function presignValid(req: http.IncomingMessage, url: URL, secret: string): boolean {
  const query = [...url.searchParams.entries()].filter(([name]) => name !== 'X-Amz-Signature');
  const canonicalQuery = query.map(([k, v]) => [encode(k), encode(v)]).sort(([a], [b]) => (a! < b! ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
  const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders') ?? '';
  const headers = signedHeaders.split(';').map((name) => `${name}:${String(req.headers[name] ?? '').trim()}\n`).join('');
  const canonical = ['GET', url.pathname, canonicalQuery, headers, signedHeaders, 'UNSIGNED-PAYLOAD'].join('\n');
  const [, date, region, service] = (url.searchParams.get('X-Amz-Credential') ?? '').split('/');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', url.searchParams.get('X-Amz-Date'), scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), 'aws4_request');
  return hmac(key, toSign).toString('hex') === url.searchParams.get('X-Amz-Signature');
}

function expired(url: URL): boolean {
  const stamp = url.searchParams.get('X-Amz-Date') ?? '';
  const signedAt = Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(9, 11), +stamp.slice(11, 13), +stamp.slice(13, 15));
  return Date.now() > signedAt + Number(url.searchParams.get('X-Amz-Expires')) * 1000;
}

/**
 * A path-style S3 stand-in on loopback: PUT, HEAD and GET of objects in memory. Signed requests
 * must carry SigV4 authorization; presigned GETs are verified and refused once expired.
 */
export async function fakeS3(credentials = { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake-secret-key' }) {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const name = decodeURIComponent(url.pathname);
      const xml = (status: number, code: string) => {
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(req.method === 'HEAD' ? undefined : `<?xml version="1.0"?><Error><Code>${code}</Code></Error>`);
      };
      const presigned = url.searchParams.has('X-Amz-Signature');
      if (presigned) {
        if (!presignValid(req, url, credentials.secretAccessKey)) return xml(403, 'SignatureDoesNotMatch');
        if (expired(url)) return xml(403, 'AccessDenied');
      } else if (!String(req.headers.authorization ?? '').startsWith(`AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/`)) {
        return xml(403, 'AccessDenied');
      }
      if (req.method === 'PUT' && !presigned) {
        objects.set(name, { body: Buffer.concat(chunks), type: String(req.headers['content-type'] ?? 'application/octet-stream') });
        res.writeHead(200, { etag: '"fake"' });
        return res.end();
      }
      const object = objects.get(name);
      if (req.method !== 'GET' && req.method !== 'HEAD') return xml(405, 'MethodNotAllowed');
      if (!object) return xml(404, 'NoSuchKey');
      res.writeHead(200, { 'content-type': object.type, 'content-length': object.body.length });
      res.end(req.method === 'HEAD' ? undefined : object.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials, objects };
}
