import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

/**
 * A Supabase Storage stand-in on loopback, speaking the HTTP API supabase-js uses: upload, HEAD,
 * authenticated download, and signed URLs (single and batch) whose tokens it checks on GET.
 * Only the service role key is accepted for everything but signed downloads.
 */
export async function fakeSupabaseStorage(serviceRoleKey = 'service-role-key-for-tests-0123456789') {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const secret = 'fake-storage-signing-secret';
  const sign = (path: string, expiresIn: number) => {
    const claims = Buffer.from(JSON.stringify({ url: path, exp: Math.floor(Date.now() / 1000) + expiresIn })).toString('base64url');
    return `${claims}.${createHmac('sha256', secret).update(claims).digest('base64url')}`;
  };
  const tokenPath = (token: string) => {
    const [claims, mac] = token.split('.');
    if (!claims || mac !== createHmac('sha256', secret).update(claims).digest('base64url')) return null;
    const { url, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { url: string; exp: number };
    return exp * 1000 > Date.now() ? url : null;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
      };
      const notFound = () => json(404, { statusCode: '404', error: 'not_found', message: 'Object not found' });
      const send = (object: { body: Buffer; type: string }) => {
        res.writeHead(200, { 'content-type': object.type, 'content-length': object.body.length });
        res.end(req.method === 'HEAD' ? undefined : object.body);
      };
      const signed = /^\/storage\/v1\/object\/sign\/(.+)$/.exec(url.pathname);
      if (signed && req.method === 'GET') {
        const path = decodeURIComponent(signed[1]!);
        if (tokenPath(url.searchParams.get('token') ?? '') !== path) return json(400, { statusCode: '400', error: 'InvalidJWT', message: 'invalid signature' });
        const object = objects.get(path);
        return object ? send(object) : notFound();
      }
      if (req.headers.authorization !== `Bearer ${serviceRoleKey}`) return json(403, { statusCode: '403', error: 'Unauthorized', message: 'bad key' });
      if (signed && req.method === 'POST') {
        const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { expiresIn: number; paths?: string[] };
        const target = decodeURIComponent(signed[1]!);
        if (body.paths) {
          return json(200, body.paths.map((path) => {
            const full = `${target}/${path}`;
            const found = objects.has(full);
            return { path, error: found ? null : 'Either the object does not exist or you do not have access to it', signedURL: found ? `/object/sign/${encodeURI(full)}?token=${sign(full, body.expiresIn)}` : null };
          }));
        }
        if (!objects.has(target)) return notFound();
        return json(200, { signedURL: `/object/sign/${encodeURI(target)}?token=${sign(target, body.expiresIn)}` });
      }
      const object = /^\/storage\/v1\/object\/(.+)$/.exec(url.pathname);
      if (!object) return json(404, { statusCode: '404', error: 'not_found', message: 'route' });
      const path = decodeURIComponent(object[1]!);
      if (req.method === 'POST' || req.method === 'PUT') {
        if (objects.has(path) && req.headers['x-upsert'] !== 'true') return json(409, { statusCode: '409', error: 'Duplicate', message: 'The resource already exists' });
        objects.set(path, { body: Buffer.concat(chunks), type: String(req.headers['content-type'] ?? 'application/octet-stream') });
        return json(200, { Id: path, Key: path });
      }
      const found = objects.get(path);
      return found ? send(found) : notFound();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, serviceRoleKey, objects };
}
