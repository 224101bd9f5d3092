import path from 'node:path';
import { nonTransactionalStatements } from '../apply.js';
import { CONVERGE_BLOCK } from '../plan.js';
import { lineColumn } from '../split.js';
import type { Finding } from './finding.js';
import { type MigrationFile, readMigrations } from '../files.js';
import { projectRules } from './rules.js';
import { convergeFindings } from './converge.js';
import { squawkFindings } from './squawk.js';

/**
 * squawk's lock and rewrite warnings inside a convergence block are noise: the block is a no-op
 * where its migration made the table, and on a hand-made table its statements are the point.
 */
function withoutConvergeBlocks(findings: Finding[], files: MigrationFile[]): Finding[] {
  const ranges = new Map<string, [number, number][]>();
  for (const file of files) {
    const list: [number, number][] = [];
    for (const match of file.sql.matchAll(CONVERGE_BLOCK)) {
      list.push([lineColumn(file.sql, match.index).line, lineColumn(file.sql, match.index + match[0].length).line]);
    }
    ranges.set(path.basename(file.path), list);
  }
  return findings.filter((f) => !(ranges.get(f.file) ?? []).some(([from, to]) => f.line >= from && f.line <= to));
}

export interface LintReport {
  findings: Finding[];
  errors: number;
  warnings: number;
  /** False when squawk is not installed for this platform (its rules were skipped). */
  squawk: boolean;
}

/** Lints every migration in `dir`. */
export async function lintMigrations(dir: string): Promise<LintReport> {
  return lintFiles(await readMigrations(dir));
}

/** Lints the given (already parsed) migration files. */
export function lintFiles(files: MigrationFile[]): LintReport {
  const squawk = squawkFindings(files.map((file) => ({ path: file.path, inTransaction: nonTransactionalStatements(file).length === 0 })));
  const findings = [...files.flatMap(projectRules), ...convergeFindings(files), ...withoutConvergeBlocks(squawk ?? [], files)].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
  );
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return { findings, errors, warnings: findings.length - errors, squawk: squawk !== null };
}
