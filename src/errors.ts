/**
 * The one small set of errors wabase raises. Each has a stable snake_case `code` that clients and
 * tests match on; `status` is the HTTP status a route answers with. The original error (a pg error
 * keeps its SQLSTATE in `cause.code`) is kept as `cause`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: Record<string, unknown>;
  /** Fields a client is shown beside `code` and `message` (a route's error schema names them). */
  readonly exposed?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    status = 500,
    options: { cause?: unknown; details?: Record<string, unknown>; exposed?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    if (options.details) this.details = options.details;
    if (options.exposed) this.exposed = options.exposed;
  }
}

/** Bad request input; the message names the field. */
export class InputError extends AppError {
  constructor(message: string, code = 'invalid_input', details?: Record<string, unknown>) {
    super(code, message, 400, details ? { details } : {});
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Missing or invalid bearer token', code = 'unauthorized') {
    super(code, message, 401);
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 403);
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 404);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, 409, options);
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, message = 'Too many requests, retry later') {
    super('rate_limited', message, 429);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * A service wabase called (the Graph API) refused or failed. Unlike other 5xx errors its message
 * is shown: it is the service's own words, which the client needs to act on. 4xx when the service
 * refused what the client gave (a used code, a wrong PIN), 502 when it failed or was unreachable.
 */
export class UpstreamError extends AppError {
  constructor(code: string, message: string, status: number, exposed: Record<string, unknown>) {
    super(code, message, status, { exposed });
  }
}

/** The environment is wrong; raised at start, before anything is touched. */
export class ConfigError extends AppError {
  readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super('invalid_config', message, 500);
    this.problems = problems;
  }
}

/** Something wabase needs from its database or the machine is missing or failed. */
export class DatabaseError extends AppError {
  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, 503, options);
  }
}

/** The Postgres SQLSTATE of an error (or of its cause), if any. */
export function pgCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
