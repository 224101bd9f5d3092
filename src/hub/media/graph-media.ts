import { createHash } from 'node:crypto';
import { graphCall, type GraphTarget } from '../graph-api.js';

/** How one media call went: the bytes or id, or why not and whether trying again later may help. */
export type MediaCallResult<T> = { ok: true; value: T } | { ok: false; retryable: boolean; code: string; message: string };

export interface ResolvedMedia {
  url: string;
  mime: string | null;
  sha256: string | null;
  fileSize: number | null;
}

export interface DownloadedMedia {
  bytes: Buffer;
  sha256: Buffer;
  contentType: string | null;
}

/** The Cloud API's media endpoints, as the archive and the outbox use them. */
export interface MediaGraph {
  /** `GET /{media_id}?phone_number_id=`: a download URL valid for about 5 minutes. */
  resolve(mediaId: string, phoneNumberId: string, token: string): Promise<MediaCallResult<ResolvedMedia>>;
  /** `GET <url>` with the same bearer token; `expired` when the URL no longer works (resolve again). */
  download(url: string, token: string, maxBytes: number): Promise<MediaCallResult<DownloadedMedia> | { ok: false; expired: true; message: string }>;
  /** `POST /{phone_number_id}/media` (multipart `file`, `type`, `messaging_product`): Meta's media id. */
  upload(phoneNumberId: string, token: string, file: { bytes: Uint8Array; mime: string; fileName: string }): Promise<MediaCallResult<string>>;
}

/** Hosts Meta serves media downloads from; the bearer token goes nowhere else (nor to plain HTTP). */
const META_HOSTS = /(^|\.)(fbsbx\.com|facebook\.com|fbcdn\.net|whatsapp\.net)$/;

/** True when `url` may be given the connection's token: Meta's HTTPS hosts, or the Graph base URL's own origin (a test double, a proxy). */
export function trustedMediaUrl(url: string, graphBaseUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(graphBaseUrl).origin) return true;
  return parsed.protocol === 'https:' && META_HOSTS.test(parsed.hostname);
}

const failure = (retryable: boolean, code: string, message: string) => ({ ok: false as const, retryable, code, message });

/** Reads a response body up to `maxBytes`, hashing as it goes; null once it passes the limit. */
async function readLimited(response: Response, maxBytes: number): Promise<{ bytes: Buffer; sha256: Buffer } | null> {
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        await response.body.cancel().catch(() => {});
        return null;
      }
      hash.update(chunk);
      parts.push(Buffer.from(chunk));
    }
  }
  return { bytes: Buffer.concat(parts), sha256: hash.digest() };
}

export function graphMedia(target: GraphTarget): MediaGraph {
  const timeout = () => AbortSignal.timeout(target.timeoutMs ?? 60_000);
  return {
    async resolve(mediaId, phoneNumberId, token) {
      const result = await graphCall<{ url?: unknown; mime_type?: unknown; sha256?: unknown; file_size?: unknown }>(target, {
        method: 'GET', path: encodeURIComponent(mediaId), token, query: { phone_number_id: phoneNumberId }, secrets: [token],
      });
      if (!result.ok) {
        const { failure: f } = result;
        return failure(f.retryable, f.metaCode === null ? `http_${f.httpStatus ?? 'network'}` : String(f.metaCode), f.message);
      }
      const { url, mime_type: mime, sha256, file_size: size } = result.body;
      if (typeof url !== 'string') return failure(true, 'no_url', 'The Graph API returned no download URL for the media id');
      if (!trustedMediaUrl(url, target.baseUrl)) return failure(false, 'untrusted_url', 'The media URL is not on a Meta host: the token is not sent there');
      return {
        ok: true,
        value: {
          url,
          mime: typeof mime === 'string' ? mime : null,
          sha256: typeof sha256 === 'string' ? sha256 : null,
          fileSize: typeof size === 'number' ? size : typeof size === 'string' && /^\d+$/.test(size) ? Number(size) : null,
        },
      };
    },

    async download(url, token, maxBytes) {
      let response: Response;
      try {
        response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'error', signal: timeout() });
      } catch (error) {
        return failure(true, 'network', `The media download failed: ${(error as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'}`);
      }
      // Meta's URLs live about 5 minutes: a refused or missing one is expired, not a failure.
      if ([401, 403, 404, 410].includes(response.status)) {
        await response.body?.cancel().catch(() => {});
        return { ok: false, expired: true, message: `The media URL answered HTTP ${response.status}` };
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        return failure(response.status >= 500 || response.status === 429, `http_${response.status}`, `The media download answered HTTP ${response.status}`);
      }
      let read;
      try {
        read = await readLimited(response, maxBytes);
      } catch (error) {
        return failure(true, 'network', `The media download broke off: ${(error as Error).message}`);
      }
      if (!read) return failure(false, 'too_large', `The file is larger than ${maxBytes} bytes, the most this kind may be`);
      return { ok: true, value: { ...read, contentType: response.headers.get('content-type') } };
    },

    async upload(phoneNumberId, token, file) {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', file.mime);
      form.set('file', new Blob([file.bytes], { type: file.mime }), file.fileName);
      let response: Response;
      try {
        response = await fetch(`${target.baseUrl}/${target.version}/${encodeURIComponent(phoneNumberId)}/media`, {
          method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form, signal: timeout(),
        });
      } catch (error) {
        return failure(true, 'network', `The media upload failed: ${(error as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'}`);
      }
      const body = (await response.json().catch(() => null)) as { id?: unknown; error?: { code?: unknown; message?: unknown } } | null;
      if (response.ok && typeof body?.id === 'string') return { ok: true, value: body.id };
      const code = typeof body?.error?.code === 'number' ? body.error.code : null;
      const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${response.status} from the media upload`;
      const retryable = response.status >= 500 || response.status === 429 || (code !== null && [1, 2, 4, 80007, 130429, 131000, 131016].includes(code));
      return failure(retryable, code === null ? `http_${response.status}` : String(code), message.split(token).join('[redacted]'));
    },
  };
}

/** Dry-run mode: uploads get a made-up id, nothing else is reachable. */
export const dryRunMediaGraph: MediaGraph = {
  resolve: async () => failure(false, 'dry_run', 'WA_SEND_MODE=dry-run: the Graph API is not called'),
  download: async () => failure(false, 'dry_run', 'WA_SEND_MODE=dry-run: the Graph API is not called'),
  upload: async () => ({ ok: true, value: `dryrun-media.${crypto.randomUUID()}` }),
};
