import type pg from 'pg';
import type { Catalog } from '../catalog.js';
import { splitStatements } from '../split.js';
import { type DataCheck, dataChecks } from './data-dependent.js';

/** A read-only count, and how to say what it found. */
export interface ProbeQuery {
  sql: string;
  /** The message for `n` offending rows (n > 0). */
  says: (n: number) => string;
  /** A type change is probed by casting: an error of the cast is the finding itself. */
  castError?: boolean;
}

type Quote = Pick<pg.Client, 'escapeIdentifier' | 'escapeLiteral'>;

/** The type a cast probe casts to, quoted from the parse tree: `"pg_catalog"."int4"`, `"varchar"(20)`, `…[]`. */
export function castType(q: Quote, check: Extract<DataCheck, { kind: 'cast' }>): string {
  const names = check.type.filter((n, i) => !(i === 0 && n === 'pg_catalog' && check.type.length > 1));
  return names.map((n) => q.escapeIdentifier(n)).join('.') + (check.typmods.length ? `(${check.typmods.map(Number).join(', ')})` : '') +
    (check.array ? '[]' : '');
}

/** A NOT VALID constraint of the live catalog, as the check `validate constraint` will run. */
function validated(q: Quote, live: Catalog, table: string, name: string): DataCheck | null {
  const definition = String((live.constraints[`${table}.${name}`] as { definition?: string } | null)?.definition ?? '');
  if (!definition) return null;
  const text = `alter table public.${q.escapeIdentifier(table)} add constraint ${q.escapeIdentifier(name)} ${definition.replace(/\s+NOT VALID$/, '')}`;
  const statement = splitStatements(text)[0];
  return statement ? (dataChecks(statement)[0] ?? null) : null;
}

/** The probe for one data check on `public.<table>`; null when it cannot be probed from the parse tree. */
export function probeQuery(q: Quote, live: Catalog, table: string, check: DataCheck): ProbeQuery | null {
  const t = `public.${q.escapeIdentifier(table)}`;
  const cols = (list: string[], alias = '') => list.map((c) => `${alias}${q.escapeIdentifier(c)}`);
  switch (check.kind) {
    case 'unique': {
      // A column's quoted name, or an expression element as the statement wrote it.
      const keys = check.expressions ? check.expressions.map((e, i) => (e === null ? q.escapeIdentifier(check.columns[i]!) : `(${e})`)) : cols(check.columns);
      // NULLs never collide in a unique index, unless it says NULLS NOT DISTINCT.
      const where = [...(check.nullsNotDistinct ? [] : keys.map((k) => `${k} is not null`)), ...(check.predicate ? [`(${check.predicate})`] : [])];
      return {
        sql: `select count(*) as n, coalesce(sum(k), 0) as rows from (select count(*) as k from ${t}${where.length ? ` where ${where.join(' and ')}` : ''} ` +
          `group by ${keys.join(', ')} having count(*) > 1) d`,
        says: (n) => `${n} value(s) of (${check.columns.join(', ')}) in ${table}${check.predicate ? ` where ${check.predicate}` : ''} are duplicated`,
      };
    }
    case 'check':
      return { sql: `select count(*) as n from ${t} where not (${check.expression})`, says: (n) => `${n} row(s) of ${table} violate check ${check.name}` };
    case 'foreign-key': {
      const mine = cols(check.columns, 'c.');
      const theirs = cols(check.refColumns, 'p.');
      const ref = `${q.escapeIdentifier(check.refSchema)}.${q.escapeIdentifier(check.refTable)}`;
      return {
        sql: `select count(*) as n from ${t} c where ${mine.map((m) => `${m} is not null`).join(' and ')} and not exists (select 1 from ${ref} p where ` +
          `${mine.map((m, i) => `${theirs[i] ?? 'p.id'} = ${m}`).join(' and ')})`,
        says: (n) => `${n} row(s) of ${table} reference no row of ${check.refTable} (foreign key ${check.name})`,
      };
    }
    case 'validate': {
      const inner = validated(q, live, table, check.name);
      const probe = inner && inner.kind !== 'validate' ? probeQuery(q, live, table, inner) : null;
      return probe;
    }
    case 'cast':
      if (check.using && check.usingText === undefined) return null;
      return {
        // count(expr) evaluates the cast on every row (a bare count(*) would let the planner skip it);
        // a USING expression is evaluated as the statement wrote it, then cast to the new type.
        sql: `select count((${check.using ? check.usingText : q.escapeIdentifier(check.column)})::${castType(q, check)}) as n from ${t}`,
        says: () => `values of ${table}.${check.column} do not cast to ${check.type.at(-1)}`,
        castError: true,
      };
  }
}
