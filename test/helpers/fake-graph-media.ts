import { createHash, randomBytes } from 'node:crypto';
import type { fakeGraph, GraphRequest } from './fake-graph.js';

type FakeGraph = Awaited<ReturnType<typeof fakeGraph>>;

interface Item { bytes: Buffer; mime: string; sha256: string }

/** `GET /{version}/{media_id}?phone_number_id=…` */
export const RESOLVE = /^\/v[\d.]+\/[^/?]+\?phone_number_id=/;
/** The download URLs this fake hands out. */
export const DOWNLOAD = /^\/lookaside\//;
/** `POST /{version}/{phone_number_id}/media` */
export const UPLOAD = /^\/v[\d.]+\/[^/]+\/media$/;

/**
 * Meta's media endpoints on the fake Graph server: media ids resolve to a download URL on the fake
 * that works once (as a 5-minute URL that has lapsed: the second use answers 404), downloads need
 * the same bearer token, and uploads (multipart `file`, `type`, `messaging_product`) are kept.
 */
export function fakeMedia(graph: FakeGraph) {
  const items = new Map<string, Item>();
  const urls = new Map<string, { mediaId: string; authorization: string | undefined }>();
  const uploads: {
    id: string; phoneNumberId: string; type: string | null; messagingProduct: string | null; fileName: string | null; bytes: Buffer;
    authorization: string | undefined;
  }[] = [];
  let spendNext = 0;
  let seq = 0;

  graph.handle(async (request: GraphRequest) => {
    const path = request.path;
    if (request.method === 'GET' && RESOLVE.test(path)) {
      const mediaId = decodeURIComponent(path.split('/')[2]!.split('?')[0]!);
      const item = items.get(mediaId);
      if (!item) return { status: 400, body: { error: { code: 100, message: `Unsupported get request. Object with ID '${mediaId}' does not exist`, fbtrace_id: 'FAKE' } } };
      const token = randomBytes(8).toString('hex');
      if (spendNext > 0) spendNext--;
      else urls.set(token, { mediaId, authorization: request.authorization });
      return {
        status: 200,
        body: { messaging_product: 'whatsapp', url: `${graph.url}/lookaside/${token}`, mime_type: item.mime, sha256: item.sha256, file_size: item.bytes.length, id: mediaId },
      };
    }
    if (request.method === 'GET' && DOWNLOAD.test(path)) {
      const token = path.split('/')[2]!;
      const url = urls.get(token);
      if (!url) return { status: 404, body: { error: { message: 'URL signature expired' } } };
      if (!request.authorization || request.authorization !== url.authorization) return { status: 401, body: { error: { message: 'no token' } } };
      urls.delete(token);
      const item = items.get(url.mediaId)!;
      return { status: 200, bytes: item.bytes, contentType: item.mime };
    }
    if (request.method === 'POST' && UPLOAD.test(path)) {
      const form = await new Response(request.raw, { headers: { 'content-type': request.contentType ?? '' } }).formData();
      const file = form.get('file');
      if (!(file instanceof Blob)) return { status: 400, body: { error: { code: 100, message: 'file is required' } } };
      const id = `upload.${++seq}`;
      uploads.push({
        id, phoneNumberId: path.split('/')[2]!, type: form.get('type') as string | null, messagingProduct: form.get('messaging_product') as string | null,
        fileName: (file as File).name ?? null, bytes: Buffer.from(await file.arrayBuffer()), authorization: request.authorization,
      });
      return { status: 200, body: { id } };
    }
    return null;
  });

  return {
    /** Makes a media id resolvable; Meta's sha256 is the file's (hex) unless `announcedSha256` says otherwise. */
    add(mediaId: string, bytes: Buffer, mime: string, announcedSha256?: string) {
      items.set(mediaId, { bytes, mime, sha256: announcedSha256 ?? createHash('sha256').update(bytes).digest('hex') });
    },
    /** The next `n` resolved URLs are already lapsed (their first use answers 404). */
    expireNextUrls(n = 1) {
      spendNext += n;
    },
    uploads,
    resolves: () => graph.calls(RESOLVE),
    downloads: () => graph.calls(DOWNLOAD),
  };
}
