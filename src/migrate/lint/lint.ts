import { readMigrations } from '../files.js';
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

/** Lints every migration in `dir` (or only `only`, by version). */
export async function lintMigrations(dir: string, only?: Set<string>): Promise<LintReport> {
  const files = (await readMigrations(dir)).filter((file) => !only || only.has(file.version));
  const squawk = squawkFindings(files.map((file) => file.path));
  const findings = [...files.flatMap(projectRules), ...(squawk ?? [])].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
  );
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return { findings, errors, warnings: findings.length - errors, squawk: squawk !== null };
}
