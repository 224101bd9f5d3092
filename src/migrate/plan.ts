import type { MigrationFile } from './files.js';
import type { HistoryRow } from './history.js';

export type MigrationState = 'applied' | 'pending' | 'edited' | 'missing_locally' | 'out_of_order';

export interface PlanEntry {
  version: string;
  name: string;
  state: MigrationState;
  file?: MigrationFile;
}

export interface Plan {
  entries: PlanEntry[];
  /** Files to apply now, oldest first (out-of-order ones only when included). */
  toApply: MigrationFile[];
  pending: PlanEntry[];
  edited: PlanEntry[];
  missingLocally: PlanEntry[];
  outOfOrder: PlanEntry[];
}

/**
 * Convergence blocks (`-- wabase:converge` … `-- wabase:end-converge`): guarded statements added to
 * an old file so that it also converges on a table made by hand before it. They are no-ops where the
 * file once ran cleanly, so adding one is not an edit of an applied file.
 */
export const CONVERGE_BLOCK = /--\s*wabase:converge\b[\s\S]*?--\s*wabase:end-converge[^\n]*/g;

/**
 * SQL with convergence blocks, comments, semicolons and whitespace removed. A file and the
 * statements stored for it (split at semicolons, trimmed) reduce to the same text unless the SQL
 * itself changed, so an edit is found without parsing.
 */
function essence(sql: string): string {
  return sql
    .replace(CONVERGE_BLOCK, '')
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/[;\s]+/g, '');
}

function sameSql(file: MigrationFile, statements: string[]): boolean {
  return essence(file.sql) === essence(statements.join('\n'));
}

/**
 * Compares local files with the history, as the Supabase CLI would: a local file older than the
 * newest applied version is out of order (applied only with `includeAll`); a history version with
 * no file is missing locally. Edited files are found by comparing statements.
 */
export function makePlan(
  files: MigrationFile[],
  history: HistoryRow[],
  options: { includeAll?: boolean } = {},
): Plan {
  const applied = new Map(history.map((row) => [row.version, row]));
  const local = new Set(files.map((file) => file.version));
  const newestApplied =
    history
      .map((row) => row.version)
      .sort()
      .at(-1) ?? '';
  const entries: PlanEntry[] = [];
  for (const file of files) {
    const row = applied.get(file.version);
    let state: MigrationState;
    if (!row) state = file.version < newestApplied ? 'out_of_order' : 'pending';
    else if (row.statements.length > 0 && !sameSql(file, row.statements)) state = 'edited';
    else state = 'applied';
    entries.push({ version: file.version, name: file.name, state, file });
  }
  for (const row of history) {
    if (!local.has(row.version))
      entries.push({ version: row.version, name: row.name, state: 'missing_locally' });
  }
  entries.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  const by = (state: MigrationState) => entries.filter((entry) => entry.state === state);
  const toApply = entries
    .filter((entry) => entry.state === 'pending' || (options.includeAll && entry.state === 'out_of_order'))
    .map((entry) => entry.file!);
  return {
    entries,
    toApply,
    pending: by('pending'),
    edited: by('edited'),
    missingLocally: by('missing_locally'),
    outOfOrder: by('out_of_order'),
  };
}
