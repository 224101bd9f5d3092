import pino, { type Logger } from 'pino';

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

export function createLogger(level: string, name = 'wabase'): Logger {
  return pino({ name, level, redact: { paths: redactPaths, censor: '[redacted]' } });
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
