import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths of fields that may hold secrets; pino replaces them before a line is written.
 * Tokens, passwords and connection strings never reach a log.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'password',
  'token',
  'accessToken',
  'access_token',
  'databaseUrl',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.databaseUrl',
];

export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT when set; otherwise pretty for a person at a terminal, JSON for anything else. */
export function resolveLogFormat(format: LogFormat | null | undefined, stdoutIsTty = process.stdout.isTTY === true): LogFormat {
  return format ?? (stdoutIsTty ? 'pretty' : 'json');
}

type PrettyFactory = (options: Record<string, unknown>) => DestinationStream;

/**
 * pino-pretty as a synchronous stream in this thread (no transport worker: it works from the
 * bundle in dist/ too). Loaded only when asked for; null when it is not installed.
 */
function prettyStream(): DestinationStream | null {
  let build: PrettyFactory;
  try {
    build = createRequire(import.meta.url)('pino-pretty') as PrettyFactory;
  } catch {
    return null;
  }
  return build({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    sync: true,
  });
}

/**
 * A logger writing to stdout (or JSON lines to `destination`). `format` pretty prints
 * human-readable lines, json one JSON object a line; redaction happens before either, so a secret
 * is hidden in both.
 */
export function createLogger(level: string, name = 'wabase', format: LogFormat = 'json', destination?: DestinationStream): Logger {
  const options = { name, level, redact: { paths: redactPaths, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (format === 'pretty') {
    const stream = prettyStream();
    if (stream) return pino(options, stream);
    const logger = pino(options);
    logger.warn('LOG_FORMAT=pretty needs the pino-pretty package; writing JSON');
    return logger;
  }
  return pino(options);
}

/** Hides the password of a connection URL so it can be shown. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
