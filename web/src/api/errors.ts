/** An API failure as the server described it: `{"error":{"code","message"}}`, or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterSeconds: number | null;
  /** The error object's other fields (a signup step's `step`, `hint`, `metaMessage`…); empty when none. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, retryAfterSeconds: number | null = null, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.details = details;
  }
}

function errorBody(body: unknown): { code: string; message: string; details: Record<string, unknown> } | null {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') return null;
  const { code, message, ...details } = error;
  return { code, message, details };
}

/**
 * The data of an openapi-fetch result, or an ApiError carrying the server's code and message
 * (a fetch that never reached the server becomes `network_error`).
 */
export async function unwrap<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the wabase server. Check your connection and try again.');
  }
  if (result.response.ok) return result.data as T;
  const described = errorBody(result.error);
  const retryAfter = Number(result.response.headers.get('retry-after'));
  throw new ApiError(
    result.response.status,
    described?.code ?? 'http_error',
    described?.message ?? `The server answered ${result.response.status}`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    described?.details,
  );
}

/** The message to show a person for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong';
}

/** "try again in 12 s" for a refusal that said when (Retry-After), else "try again in a few seconds". */
export const tryAgainIn = (error: ApiError): string =>
  (error.retryAfterSeconds ? `try again in ${error.retryAfterSeconds} s` : 'try again in a few seconds');
