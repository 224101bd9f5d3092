import path from 'node:path';
import type { Catalog } from '../catalog.js';
import type { MigrationFile } from '../files.js';
import { lineColumn, type Statement } from '../split.js';
import { type DataCheck, dataChecks } from './data-dependent.js';
import { referencedColumns, statementRefs } from './statement-refs.js';

/** A pending statement, located. */
export interface StatementAt {
  file: string;
  line: number;
  /** The statement's first line, for messages. */
  text: string;
}

export interface SkippedCreate extends StatementAt {
  table: string;
  /** Columns the create defines that the existing table lacks. */
  lacks: string[];
}

export interface FailingStatement extends StatementAt {
  table: string;
  reason: string;
}

/** A pending statement that fails if the live table holds certain rows: counted read-only by the gate. */
export interface DataProbe extends StatementAt {
  table: string;
  column: string;
  /**
   * `nulls`: `set not null` on a column with nulls; `rows`: a NOT NULL column without default added
   * to a table with rows; `data`: a unique index or constraint, a validated check or foreign key, a
   * type change (`check` says which).
   */
  kind: 'nulls' | 'rows' | 'data';
  check?: DataCheck;
}

export interface Impact {
  probes: DataProbe[];
  skipped: SkippedCreate[];
  failing: FailingStatement[];
  /** Index names a pending `create index if not exists` will skip because the name is taken. */
  skippedIndexes: (StatementAt & { index: string })[];
  /** Per table a pending create skipped: what still differs from the lock after every pending file. */
  leftDifferent: Map<string, string[]>;
}

function at(file: MigrationFile, statement: Statement): StatementAt {
  const body = statement.text.replace(/^(\s*--[^\n]*\n)+/, '').trimStart();
  return { file: path.basename(file.path), line: lineColumn(file.sql, statement.offset + (statement.text.length - body.length)).line, text: body.split('\n')[0]!.trim() };
}

/** Columns per table (name -> not null) from a catalog's columns section. */
function shapes(catalog: Catalog): Map<string, Map<string, boolean>> {
  const tables = new Map<string, Map<string, boolean>>();
  for (const table of Object.keys(catalog.tables ?? {})) tables.set(table, new Map());
  for (const [key, props] of Object.entries(catalog.columns ?? {})) {
    const [table, column] = key.split('.') as [string, string];
    tables.get(table)?.set(column, (props as { nullable?: string } | null)?.nullable === 'NO');
  }
  return tables;
}

/**
 * Walks the pending files statement by statement over a model of the live tables: which
 * `create table if not exists` will be skipped because the table is already there, which later
 * statement will then fail on a column the table lacks, and what is still unlike the lock at the
 * end. DO blocks are opaque: a column a DO block names for its table counts as provided.
 */
export function pendingImpact(pending: MigrationFile[], live: Catalog, target: Catalog): Impact {
  const model = shapes(live);
  const want = shapes(target);
  const impact: Impact = { probes: [], skipped: [], failing: [], skippedIndexes: [], leftDifferent: new Map() };
  const liveTables = shapes(live);
  const collided = new Set<string>();
  const liveIndexes = new Set(Object.keys(live.indexes ?? {}));
  for (const file of pending) {
    for (const statement of file.statements) {
      const refs = statementRefs(statement);
      if (refs.creates) {
        const { table, ifNotExists, columns } = refs.creates;
        const existing = model.get(table);
        if (existing && ifNotExists) {
          const lacks = columns.map((c) => c.name).filter((name) => !existing.has(name));
          if (lacks.length > 0) impact.skipped.push({ ...at(file, statement), table, lacks });
          collided.add(table);
        } else if (existing) {
          impact.failing.push({ ...at(file, statement), table, reason: `relation "${table}" already exists` });
        } else {
          model.set(table, new Map(columns.map((c) => [c.name, c.notNull])));
        }
      }
      if (refs.createsIndex?.ifNotExists && liveIndexes.has(refs.createsIndex.name)) {
        impact.skippedIndexes.push({ ...at(file, statement), index: refs.createsIndex.name });
      }
      if (refs.doBody) {
        for (const [table, columns] of model) {
          if (!new RegExp(`\\b${table}\\b`).test(refs.doBody)) continue;
          for (const column of want.get(table)?.keys() ?? []) {
            if (!columns.has(column) && new RegExp(`\\b${column}\\b`).test(refs.doBody)) columns.set(column, want.get(table)!.get(column)!);
          }
        }
      }
      const table = refs.table ? model.get(refs.table) : undefined;
      if (refs.table && table) {
        const missing = [...refs.columns].filter((column) => !table.has(column));
        if (missing.length > 0 && !refs.creates) {
          impact.failing.push({ ...at(file, statement), table: refs.table, reason: `column "${missing[0]}" of "${refs.table}" does not exist` });
        }
        const existed = liveTables.get(refs.table);
        for (const added of refs.requiredAdds) {
          if (existed && !table.has(added)) impact.probes.push({ ...at(file, statement), table: refs.table, column: added, kind: 'rows' });
        }
        for (const added of refs.adds) if (!table.has(added)) table.set(added, want.get(refs.table)?.get(added) ?? false);
        for (const column of refs.setsNotNull) {
          if (existed?.get(column) === false && table.get(column) === false) impact.probes.push({ ...at(file, statement), table: refs.table, column, kind: 'nulls' });
          if (table.has(column)) table.set(column, true);
        }
        for (const column of refs.dropsNotNull) if (table.has(column)) table.set(column, false);
        // Tables that exist on the database hold rows a unique index, a validated constraint or a cast may reject.
        if (existed) for (const check of dataChecks(statement)) impact.probes.push({ ...at(file, statement), table: refs.table, column: '', kind: 'data', check });
      } else if (refs.table && !refs.creates) {
        impact.failing.push({ ...at(file, statement), table: refs.table, reason: `relation "${refs.table}" does not exist` });
      }
      for (const ref of referencedColumns(statement)) {
        const target = model.get(ref.table);
        if (target && !target.has(ref.column)) {
          impact.failing.push({ ...at(file, statement), table: ref.table, reason: `column "${ref.column}" referenced in foreign key does not exist` });
        }
      }
    }
  }
  for (const table of collided) {
    const have = model.get(table)!;
    const problems: string[] = [];
    for (const [column, notNull] of want.get(table) ?? []) {
      if (!have.has(column)) problems.push(`column ${column} still missing`);
      else if (have.get(column) !== notNull) problems.push(`column ${column} stays ${have.get(column) ? 'NOT NULL' : 'nullable'} (the lock: ${notNull ? 'NOT NULL' : 'nullable'})`);
    }
    if (problems.length > 0) impact.leftDifferent.set(table, problems);
  }
  return impact;
}
