import { splitStatements, type Statement } from '../split.js';
import { indexSlices, usingSlices } from './statement-slices.js';

type Node = Record<string, unknown>;

/**
 * A pending statement that fails on some data the table already holds. Column and table names come
 * from the parse tree and are quoted where the probe is built; a check expression is the text of
 * the migration statement itself (run read-only, as the push would run it anyway).
 */
export type DataCheck =
  | {
    kind: 'unique'; name: string; columns: string[];
    /** Expression or partial index: each expression element's text (null for a plain column) and the predicate, from the statement. */
    expressions?: (string | null)[]; predicate?: string | null; nullsNotDistinct?: boolean;
  } |
  { kind: 'check'; name: string; expression: string } |
  { kind: 'foreign-key'; name: string; columns: string[]; refSchema: string; refTable: string; refColumns: string[] } |
  { kind: 'validate'; name: string } |
  { kind: 'cast'; column: string; type: string[]; typmods: number[]; array: boolean; using: boolean; usingText?: string };

const svals = (list: unknown): string[] =>
  ((list ?? []) as { String?: { sval?: string } }[]).map((item) => item.String?.sval ?? '').filter(Boolean);

/** The text inside the parentheses after `check` at or after `from`, quotes and nesting respected. */
function checkExpression(text: string, from: number): string | null {
  const start = /check\s*\(/i.exec(text.slice(from));
  if (!start) return null;
  let depth = 0;
  let quote: string | null = null;
  const open = from + start.index + start[0].length - 1;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '\'' || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return text.slice(open + 1, i).trim();
  }
  return null;
}

function constraintCheck(c: Node, text: string, fallback: string): DataCheck | null {
  if (c.skip_validation) return null;
  const name = String(c.conname ?? fallback);
  if (c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY') return { kind: 'unique', name, columns: svals(c.keys) };
  if (c.contype === 'CONSTR_FOREIGN') {
    const ref = (c.pktable ?? {}) as Node;
    return { kind: 'foreign-key', name, columns: svals(c.fk_attrs), refSchema: String(ref.schemaname ?? 'public'), refTable: String(ref.relname),
      refColumns: svals(c.pk_attrs) };
  }
  if (c.contype === 'CONSTR_CHECK') {
    // Locations are bytes of the statement's text; the expression is sliced from the characters.
    const at = Buffer.from(text).subarray(0, Number(c.location ?? 0)).toString().length;
    const expression = checkExpression(text, at);
    return expression ? { kind: 'check', name, expression } : null;
  }
  return null;
}

/** The data-dependent parts of one statement (unique index, validated constraint, type change). */
export function dataChecks(statement: Statement): DataCheck[] {
  if (statement.kind !== 'AlterTableStmt' && statement.kind !== 'IndexStmt') return [];
  // Parsed again on its own, so parse-tree locations are relative to the statement's text.
  const node = (splitStatements(statement.text)[0]?.node ?? {}) as Node;
  if (statement.kind === 'IndexStmt') {
    const elems = ((node.indexParams ?? []) as { IndexElem?: Node }[]).map((p) => p.IndexElem ?? {});
    if (!node.unique) return [];
    const name = String(node.idxname ?? 'index');
    const nullsNotDistinct = Boolean(node.nulls_not_distinct);
    if (!node.whereClause && elems.every((e) => e.name)) return [{ kind: 'unique', name, columns: elems.map((e) => String(e.name)), nullsNotDistinct }];
    // An expression or partial index: its elements and predicate are cut from the statement's text.
    const slices = indexSlices(statement.text, elems as { opclass?: unknown[]; opclassopts?: unknown[] }[]);
    if (!slices) return [];
    return [{ kind: 'unique', name, columns: elems.map((e, i) => String(e.name ?? slices.elements[i])), expressions: elems.map((e, i) => (e.name ? null : slices.elements[i]!)),
      predicate: slices.predicate, nullsNotDistinct }];
  }
  const usings = usingSlices(statement.text);
  let usingAt = 0;
  const checks: DataCheck[] = [];
  for (const cmd of (node.cmds ?? []) as { AlterTableCmd?: Node }[]) {
    const c = cmd.AlterTableCmd ?? {};
    if (c.subtype === 'AT_AddConstraint') {
      const found = constraintCheck(((c.def as Node)?.Constraint ?? {}) as Node, statement.text, 'constraint');
      if (found) checks.push(found);
    }
    if (c.subtype === 'AT_ValidateConstraint') checks.push({ kind: 'validate', name: String(c.name) });
    if (c.subtype === 'AT_AlterColumnType') {
      const def = ((c.def as Node)?.ColumnDef ?? {}) as Node;
      const type = (def.typeName ?? {}) as Node;
      const typmods = ((type.typmods ?? []) as { A_Const?: { ival?: { ival?: number } } }[]).map((m) => Number(m.A_Const?.ival?.ival ?? 0));
      const using = Boolean(def.raw_default);
      checks.push({ kind: 'cast', column: String(c.name), type: svals(type.names), typmods, array: Boolean(type.arrayBounds), using,
        ...(using && usings[usingAt] !== undefined ? { usingText: usings[usingAt++] } : {}) });
    }
  }
  return checks;
}
