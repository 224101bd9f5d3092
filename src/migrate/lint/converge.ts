import path from 'node:path';
import { referencedColumns, statementRefs } from '../drift/statement-refs.js';
import type { MigrationFile } from '../files.js';
import { lineColumn, type Statement } from '../split.js';
import type { Finding } from './finding.js';

/**
 * The skip-then-fail pattern: `create table if not exists t (…)` does nothing when t already
 * exists (made by hand, with other columns), so a later statement that uses one of its columns
 * fails there unless an `add column if not exists` (or a DO block naming the column) provides it
 * first. Checked across the files in order, from each create to the end.
 */
export function convergeFindings(files: MigrationFile[]): Finding[] {
  const all = files.flatMap((file) => file.statements.map((statement) => ({ file, statement })));
  const findings: Finding[] = [];
  // Where the statement's SQL starts, past its leading comments.
  const line = (file: MigrationFile, statement: Statement) =>
    lineColumn(file.sql, statement.offset + statement.text.length - statement.text.replace(/^(\s*--[^\n]*\n)+\s*/, '').length);
  all.forEach(({ file, statement }, index) => {
    const created = statementRefs(statement).creates;
    if (!created?.ifNotExists) return;
    const table = created.table;
    const defined = new Set(created.columns.map((c) => c.name));
    const provided = new Set<string>();
    const uses = new Map<string, string>();
    for (const later of all.slice(index + 1)) {
      const refs = statementRefs(later.statement);
      if (refs.creates?.table === table) break;
      if (refs.doBody && new RegExp(`\\b${table}\\b`).test(refs.doBody)) {
        for (const column of defined) if (new RegExp(`\\b${column}\\b`).test(refs.doBody)) provided.add(column);
      }
      // Within one ALTER, added columns exist before its constraints are built.
      if (refs.table === table) for (const added of refs.adds) provided.add(added);
      const used = refs.table === table ? [...refs.columns] : [];
      used.push(...referencedColumns(later.statement).filter((r) => r.table === table).map((r) => r.column));
      for (const column of used) {
        if (defined.has(column) && !provided.has(column) && !uses.has(column)) {
          uses.set(column, `${path.basename(later.file.path)}:${line(later.file, later.statement).line}`);
        }
      }
    }
    if (uses.size === 0) return;
    const { line: at, column } = line(file, statement);
    const list = [...uses].map(([c, where]) => `${c} (${where})`).join(', ');
    findings.push({
      file: path.basename(file.path), line: at, column, rule: 'converge-columns', severity: 'error', source: 'wabase',
      message: `create table if not exists public.${table} is skipped where the table was made by hand, ` +
        `and later statements use columns it may lack: ${list}. Add \`alter table public.${table} add column if not exists …\` ` +
        'for them right after the create (a `-- wabase:converge` block)',
    });
  });
  return findings;
}
