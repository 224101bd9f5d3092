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

function runSquawk(binary: string, files: string[], inTransaction: boolean): SquawkViolation[] | null {
  if (files.length === 0) return [];
  const args = ['--reporter=json', ...(inTransaction ? ['--assume-in-transaction'] : []), `--exclude=${EXCLUDED.join(',')}`, ...files];
  const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) return null;
  return JSON.parse(result.stdout || '[]') as SquawkViolation[];
}

/**
 * squawk's safety findings for the files, as warnings; null when squawk is not available. Files
 * push runs in a transaction are checked as such; files it runs statement by statement (a
 * `create index concurrently`, say) are checked as running outside one.
 */
export function squawkFindings(files: { path: string; inTransaction: boolean }[]): Finding[] | null {
  const binary = squawkBinary();
  if (!binary || files.length === 0) return binary ? [] : null;
  const inside = runSquawk(binary, files.filter((f) => f.inTransaction).map((f) => f.path), true);
  const outside = runSquawk(binary, files.filter((f) => !f.inTransaction).map((f) => f.path), false);
  if (!inside || !outside) return null;
  return [...inside, ...outside].map((v) => ({
    file: path.basename(v.file),
    line: v.line + 1,
    column: v.column + 1,
    rule: v.rule_name,
    severity: 'warning',
    message: v.help ? `${v.message} ${v.help}` : v.message,
    source: 'squawk',
  }));
}
