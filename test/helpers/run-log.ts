/**
 * The log folder of one `npm test` run (WABASE_TEST_LOG_DIR, made by test/run.ts). Every server a
 * test runs writes its log here: testApp and the worker parts tests drive at WABASE_TEST_LOG_LEVEL
 * (info unless told), and the server processes tests start at info. After the run, test/helpers/secret-grep.ts
 * looks through all of it for every secret the tests registered (test/helpers/secrets.ts).
 * Run without test/run.ts (plain `node --test`), nothing is written and loggers stay silent.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createLogger, type Logger } from '../../src/log.js';

export const RUN_LOG_DIR = process.env.WABASE_TEST_LOG_DIR || null;
export const RUN_LOG_LEVEL = process.env.WABASE_TEST_LOG_LEVEL || 'info';

/** This test file, relative to the project (node --test runs each file in a process of its own). */
export const testFile = path.relative(process.cwd(), process.argv[1] ?? 'unknown') || 'unknown';
const slug = testFile.replace(/[^A-Za-z0-9.-]+/g, '_');
let files = 0;

/** A new file in the run's log folder, named after this test file and `what`; null outside a run. */
export function runLogPath(what: string): string | null {
  if (!RUN_LOG_DIR) return null;
  return path.join(RUN_LOG_DIR, `${slug}.${process.pid}.${++files}.${what.replace(/[^A-Za-z0-9-]+/g, '_')}.log`);
}

let shared: ReturnType<typeof pino.destination> | null = null;

/**
 * The one buffered destination of this process's in-process servers. Buffered writes keep
 * logging at info cheap; pino writes what is left synchronously when the process exits.
 */
export function serverLogDestination(): ReturnType<typeof pino.destination> | null {
  if (shared) return shared;
  const file = runLogPath('server');
  if (!file) return null;
  // An fd opened here makes the stream ready at once, so the exit flush can never find it unopened.
  shared = pino.destination({ fd: fs.openSync(file, 'a'), sync: false, minLength: 8 * 1024 });
  return shared;
}

/** A logger as production makes it (same redaction) writing to the run's log; silent outside a run. */
export function serverLogger(name = 'wabase'): Logger {
  const destination = serverLogDestination();
  return destination ? createLogger(RUN_LOG_LEVEL, name, 'json', destination) : createLogger('silent', name);
}

/**
 * Copies everything a child process prints (stdout and stderr) into the run's log folder, as it
 * arrives (written at once, so nothing is lost when the test file's process ends).
 */
export function recordChildOutput(child: ChildProcess, what: string): void {
  const file = runLogPath(what);
  if (!file) return;
  const fd = fs.openSync(file, 'a');
  const write = (chunk: Buffer) => fs.writeSync(fd, chunk);
  child.stdout?.on('data', write);
  child.stderr?.on('data', write);
  child.on('close', () => fs.closeSync(fd));
}
