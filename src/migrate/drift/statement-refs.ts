import type { Statement } from '../split.js';

type Node = Record<string, unknown>;

/** What one parsed statement does to, and needs from, the tables of the public schema. */
export interface StatementRefs {
  /** The public table the statement acts on (ALTER, INDEX, GRANT, POLICY, TRIGGER, INSERT, UPDATE, COMMENT). */
  table: string | null;
  /** A `create table [if not exists]`: its columns, with NOT NULL as written. */
  creates: { table: string; ifNotExists: boolean; columns: { name: string; notNull: boolean }[] } | null;
  /** `create index [if not exists] <name>`. */
  createsIndex: { name: string; ifNotExists: boolean } | null;
  /** Columns an ALTER TABLE adds (`add column [if not exists]`). */
  adds: string[];
  /** The same, with whether each is NOT NULL without a default (it fails on a table with rows). */
  requiredAdds: string[];
  setsNotNull: string[];
  dropsNotNull: string[];
  /** Column names of `table` the statement reads or names; qualified references to other aliases are left out. */
  columns: Set<string>;
  /** Text of a DO block (opaque to the parser: it may add or rename columns). */
  doBody: string | null;
  /** Functions created or replaced: bare names. */
  functions: string[];
}

const svals = (list: unknown): string[] =>
  ((list ?? []) as { String?: { sval?: string } }[]).map((item) => item.String?.sval ?? '').filter(Boolean);

/** The relname of a RangeVar in the public schema (or unqualified), else null. */
function publicTable(relation: unknown): string | null {
  const r = (relation ?? null) as { schemaname?: string; relname?: string } | null;
  if (!r?.relname) return null;
  return !r.schemaname || r.schemaname === 'public' ? r.relname : null;
}

/** ALTER TABLE commands whose `name` is a column (others name a constraint, trigger or index). */
const COLUMN_COMMANDS = new Set(['AT_AlterColumnType', 'AT_SetNotNull', 'AT_DropNotNull', 'AT_ColumnDefault', 'AT_DropColumn', 'AT_SetStatistics',
  'AT_SetStorage', 'AT_AddIdentity', 'AT_DropIdentity', 'AT_SetIdentity', 'AT_SetOptions', 'AT_ResetOptions', 'AT_SetCompression', 'AT_DropExpression']);

/** Every column name the subtree names, for the table `table` (unqualified, or qualified by it). */
function collectColumns(node: unknown, table: string, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectColumns(item, table, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Node)) {
    if (key === 'ColumnRef') {
      const fields = svals((value as Node).fields);
      if (fields.length === 1 || (fields.length === 2 && fields[0] === table)) out.add(fields.at(-1)!);
      continue;
    }
    if (key === 'IndexElem' && (value as Node).name) out.add(String((value as Node).name));
    if (key === 'ResTarget' && (value as Node).name) out.add(String((value as Node).name));
    if (key === 'AccessPriv') for (const col of svals((value as Node).cols)) out.add(col);
    if (key === 'Constraint') for (const col of [...svals((value as Node).keys), ...svals((value as Node).fk_attrs)]) out.add(col);
    if (key === 'AlterTableCmd' && (value as Node).name && COLUMN_COMMANDS.has(String((value as Node).subtype))) out.add(String((value as Node).name));
    collectColumns(value, table, out);
  }
}

/** Columns of another table a statement names as a foreign key target: `references t (c)`. */
export function referencedColumns(statement: Statement): { table: string; column: string }[] {
  const found: { table: string; column: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const constraint = (node as Node).Constraint as Node | undefined;
    const table = constraint ? publicTable(constraint.pktable) : null;
    if (table) for (const column of svals(constraint!.pk_attrs)) found.push({ table, column });
    for (const value of Object.values(node as Node)) walk(value);
  };
  walk(statement.node);
  return found;
}

export function statementRefs(statement: Statement): StatementRefs {
  const node = statement.node ?? {};
  const refs: StatementRefs = {
    table: null, creates: null, createsIndex: null, adds: [], requiredAdds: [], setsNotNull: [], dropsNotNull: [],
    columns: new Set(), doBody: null, functions: [],
  };
  switch (statement.kind) {
    case 'CreateStmt': {
      const table = publicTable(node.relation);
      if (!table) break;
      const columns = ((node.tableElts ?? []) as { ColumnDef?: Node }[])
        .map((element) => element.ColumnDef)
        .filter((def): def is Node => Boolean(def))
        .map((def) => ({
          name: String(def.colname),
          notNull: ((def.constraints ?? []) as { Constraint?: Node }[]).some((c) =>
            c.Constraint?.contype === 'CONSTR_NOTNULL' || c.Constraint?.contype === 'CONSTR_PRIMARY' || c.Constraint?.contype === 'CONSTR_IDENTITY'),
        }));
      refs.creates = { table, ifNotExists: Boolean(node.if_not_exists), columns };
      // Table constraints (primary key (a, b), unique, check) name columns the table must have.
      const constraints = ((node.tableElts ?? []) as Node[]).filter((element) => element.Constraint);
      refs.table = table;
      collectColumns(constraints, table, refs.columns);
      break;
    }
    case 'AlterTableStmt': {
      refs.table = publicTable(node.relation);
      if (!refs.table) break;
      for (const cmd of (node.cmds ?? []) as { AlterTableCmd?: Node }[]) {
        const c = cmd.AlterTableCmd ?? {};
        if (c.subtype === 'AT_AddColumn') {
          const def = ((c.def as Node)?.ColumnDef ?? {}) as Node;
          refs.adds.push(String(def.colname));
          const kinds = ((def.constraints ?? []) as { Constraint?: Node }[]).map((k) => k.Constraint?.contype);
          const filled = kinds.includes('CONSTR_DEFAULT') || kinds.includes('CONSTR_IDENTITY') || kinds.includes('CONSTR_GENERATED');
          if ((kinds.includes('CONSTR_NOTNULL') || kinds.includes('CONSTR_PRIMARY')) && !filled) refs.requiredAdds.push(String(def.colname));
        }
        if (c.subtype === 'AT_SetNotNull') refs.setsNotNull.push(String(c.name));
        if (c.subtype === 'AT_DropNotNull') refs.dropsNotNull.push(String(c.name));
      }
      collectColumns(node.cmds, refs.table, refs.columns);
      for (const added of refs.adds) refs.columns.delete(added);
      break;
    }
    case 'IndexStmt':
      refs.table = publicTable(node.relation);
      if (node.idxname) refs.createsIndex = { name: String(node.idxname), ifNotExists: Boolean(node.if_not_exists) };
      if (refs.table) collectColumns([node.indexParams, node.whereClause, node.indexIncludingParams], refs.table, refs.columns);
      break;
    case 'GrantStmt': {
      const objects = (node.objects ?? []) as { RangeVar?: unknown }[];
      refs.table = objects.length === 1 ? publicTable(objects[0]!.RangeVar) : null;
      if (refs.table) collectColumns(node.privileges, refs.table, refs.columns);
      break;
    }
    case 'CreatePolicyStmt':
      refs.table = publicTable(node.table);
      if (refs.table) collectColumns([node.qual, node.with_check], refs.table, refs.columns);
      break;
    case 'CreateTrigStmt':
      refs.table = publicTable(node.relation);
      if (refs.table) for (const col of svals(node.columns)) refs.columns.add(col);
      break;
    case 'InsertStmt':
    case 'UpdateStmt':
      refs.table = publicTable(node.relation);
      if (refs.table) collectColumns([node.cols, node.targetList, node.whereClause], refs.table, refs.columns);
      break;
    case 'DoStmt':
      refs.doBody = svals(((node.args ?? []) as { DefElem?: Node }[]).map((a) => a.DefElem?.arg)).join('\n');
      break;
    case 'CreateFunctionStmt':
      refs.functions.push(svals(node.funcname).at(-1) ?? '');
      break;
    default:
      break;
  }
  return refs;
}
