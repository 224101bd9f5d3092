/** Where Graph API calls go: META_GRAPH_BASE_URL and META_GRAPH_VERSION. */
export interface GraphTarget {
  baseUrl: string;
  version: string;
  timeoutMs?: number;
}

/** A Graph call that did not succeed, in Meta's terms. */
export interface GraphFailure {
  /** The HTTP status Meta answered with; null when it could not be reached. */
  httpStatus: number | null;
  /** Meta's `error.code` and `error.error_subcode`, when it sent them. */
  metaCode: number | null;
  metaSubcode: number | null;
  /** Meta's own words (`message`, else `error_user_msg`), with any secret of the call taken out. */
  message: string;
  /** The same call later may succeed: Meta failed (5xx), was unreachable, or is rate limiting. */
  retryable: boolean;
}

export type GraphResult<T> = { ok: true; body: T } | { ok: false; failure: GraphFailure };

export interface GraphRequest {
  method: 'GET' | 'POST';
  /** After the version, already encoded: `123/register`. */
  path: string;
  /** Sent as `Authorization: Bearer`; never in the URL. */
  token?: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Values that must never come back in a message (a token, a code, the app secret). */
  secrets?: string[];
}

/** Codes Meta documents as transient or rate limits: worth the same call again later. */
const TRANSIENT = new Set([1, 2, 4, 17, 32, 341, 613, 80007, 130429, 131000, 131016, 133004]);
const MAX_MESSAGE = 500;

interface GraphErrorBody {
  error?: { code?: unknown; error_subcode?: unknown; message?: unknown; error_user_msg?: unknown };
}

const int = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);

function scrub(text: string, secrets: string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret.length >= 4) clean = clean.split(secret).join('[redacted]');
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

/** One Graph API call; a refusal, a failure or no answer at all is a GraphFailure, never a throw. */
export async function graphCall<T>(target: GraphTarget, request: GraphRequest): Promise<GraphResult<T>> {
  const secrets = request.secrets ?? [];
  const url = new URL(`${target.baseUrl}/${target.version}/${request.path}`);
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.body ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(target.timeoutMs ?? 15_000),
    });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable';
    return { ok: false, failure: { httpStatus: null, metaCode: null, metaSubcode: null, message: `The Graph API ${reason}`, retryable: true } };
  }
  const body = (await response.json().catch(() => null)) as (T & GraphErrorBody) | null;
  if (response.ok && body && !body.error) return { ok: true, body };
  const error = body?.error;
  const metaCode = int(error?.code);
  const text = [error?.message, error?.error_user_msg].find((value): value is string => typeof value === 'string' && value.trim() !== '') ??
    `HTTP ${response.status} from the Graph API`;
  return {
    ok: false,
    failure: {
      httpStatus: response.status,
      metaCode,
      metaSubcode: int(error?.error_subcode),
      message: scrub(text, secrets),
      retryable: response.status >= 500 || response.status === 429 || (metaCode !== null && TRANSIENT.has(metaCode)),
    },
  };
}
