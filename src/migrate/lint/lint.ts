import { nonTransactionalStatements } from '../apply.js';
import { type MigrationFile, readMigrations } from '../files.js';
import type { Finding } from './finding.js';
import { projectRules } from './rules.js';
import { squawkFindings } from './squawk.js';

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
  const findings = [...files.flatMap(projectRules), ...(squawk ?? [])].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
  );
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return { findings, errors, warnings: findings.length - errors, squawk: squawk !== null };
}
