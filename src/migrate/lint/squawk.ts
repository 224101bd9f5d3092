import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Finding } from './finding.js';

/**
 * squawk rules that do not fit these migrations: each file runs in one transaction with a lock
 * timeout set by push; new tables get their indexes and foreign keys while still empty; the seed
 * fixes int and char(64) columns.
 */
const EXCLUDED = [
  'require-lock-timeout',
  'require-statement-timeout',
  'require-concurrent-index-creation',
  'adding-foreign-key-constraint',
  'prefer-bigint-over-int',
  'ban-char-field',
];

/** squawk's binary from its platform package, or null where none is installed. */
export function squawkBinary(): string | null {
  const require = createRequire(import.meta.url);
  try {
    const pkg = require.resolve(`@squawk-cli/${os.platform()}-${os.arch()}/package.json`);
    return path.join(path.dirname(pkg), 'bin', 'squawk');
  } catch {
    return null;
  }
}

interface SquawkViolation {
  file: string;
  line: number;
  column: number;
  level: string;
  message: string;
  help?: string;
  rule_name: string;
}

/** squawk's safety findings for the files, as warnings; null when squawk is not available. */
export function squawkFindings(files: string[]): Finding[] | null {
  const binary = squawkBinary();
  if (!binary || files.length === 0) return binary ? [] : null;
  const result = spawnSync(binary, ['--reporter=json', '--assume-in-transaction', `--exclude=${EXCLUDED.join(',')}`, ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return null;
  const violations = JSON.parse(result.stdout || '[]') as SquawkViolation[];
  return violations.map((v) => ({
    file: path.basename(v.file),
    line: v.line + 1,
    column: v.column + 1,
    rule: v.rule_name,
    severity: 'warning',
    message: v.help ? `${v.message} ${v.help}` : v.message,
    source: 'squawk',
  }));
}
