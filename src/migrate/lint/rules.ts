import path from 'node:path';
import type { MigrationFile } from '../files.js';
import { lineColumn, type Statement } from '../split.js';
import type { Finding } from './finding.js';

type Node = Record<string, unknown>;

interface Relation {
  schemaname?: string;
  relname?: string;
}

const relationName = (relation: unknown): string => {
  const r = (relation ?? {}) as Relation;
  return `${r.schemaname ?? 'public'}.${r.relname ?? '?'}`;
};

const names = (list: unknown): string[] =>
  ((list ?? []) as { String?: { sval?: string } }[]).map((item) => item.String?.sval ?? '').filter(Boolean);

function hasDefElem(options: unknown, name: string): Node | undefined {
  return ((options ?? []) as { DefElem?: Node }[]).map((option) => option.DefElem).find((option) => option?.defname === name);
}

/** Names of policies (`table.policy`) and triggers dropped with IF EXISTS earlier in the file. */
function guardedDrops(statements: Statement[], upTo: number, kind: 'OBJECT_POLICY' | 'OBJECT_TRIGGER'): Set<string> {
  const dropped = new Set<string>();
  for (const statement of statements.slice(0, upTo)) {
    if (statement.kind !== 'DropStmt' || statement.node?.removeType !== kind || !statement.node.missing_ok) continue;
    for (const object of (statement.node.objects ?? []) as { List?: { items?: unknown } }[]) {
      const parts = names(object.List?.items);
      // [schema?, table, name]
      dropped.add(`${parts.at(-2)}.${parts.at(-1)}`);
    }
  }
  return dropped;
}

/** Why a statement is not safe to run twice, or null. */
function idempotencyProblem(statement: Statement, index: number, all: Statement[]): string | null {
  const node = statement.node ?? {};
  switch (statement.kind) {
    case 'CreateStmt':
    case 'IndexStmt':
    case 'CreateSchemaStmt':
    case 'CreateExtensionStmt':
    case 'CreateSeqStmt':
      return node.if_not_exists ? null : 'add IF NOT EXISTS';
    case 'CreateTableAsStmt':
      return node.if_not_exists ? null : 'add IF NOT EXISTS';
    case 'CreateFunctionStmt':
    case 'ViewStmt':
      return node.replace ? null : 'use CREATE OR REPLACE';
    case 'DropStmt':
      return node.missing_ok ? null : 'add IF EXISTS';
    case 'CreatePolicyStmt': {
      const key = `${(node.table as Relation)?.relname}.${node.policy_name}`;
      return guardedDrops(all, index, 'OBJECT_POLICY').has(key) ? null : 'precede it with DROP POLICY IF EXISTS … ON the same table';
    }
    case 'CreateTrigStmt': {
      if (node.replace) return null;
      const key = `${(node.relation as Relation)?.relname}.${node.trigname}`;
      return guardedDrops(all, index, 'OBJECT_TRIGGER').has(key) ? null : 'use CREATE OR REPLACE TRIGGER or DROP TRIGGER IF EXISTS first';
    }
    case 'AlterTableStmt': {
      for (const cmd of (node.cmds ?? []) as { AlterTableCmd?: Node }[]) {
        const subtype = cmd.AlterTableCmd?.subtype;
        if (subtype === 'AT_AddConstraint') return 'guard ADD CONSTRAINT in a DO block that checks pg_constraint first';
        if ((subtype === 'AT_AddColumn' || subtype === 'AT_DropColumn' || subtype === 'AT_DropConstraint') && !cmd.AlterTableCmd?.missing_ok) {
          return subtype === 'AT_AddColumn' ? 'use ADD COLUMN IF NOT EXISTS' : 'use DROP … IF EXISTS';
        }
      }
      return null;
    }
    case 'RenameStmt':
      return 'a rename fails the second time: guard it in a DO block that checks the old name exists';
    case 'CreateEnumStmt':
    case 'CreateDomainStmt':
    case 'CompositeTypeStmt':
    case 'CreateRoleStmt':
      return 'guard it in a DO block that checks it does not exist yet';
    case 'InsertStmt':
      return node.onConflictClause ? null : 'add ON CONFLICT … DO NOTHING (or DO UPDATE)';
    default:
      return null;
  }
}

/** wabase's own rules: idempotent statements, RLS on new public tables, pinned search_path. */
export function projectRules(file: MigrationFile): Finding[] {
  const findings: Finding[] = [];
  const at = (statement: Statement, rule: string, message: string) => {
    const { line, column } = lineColumn(file.sql, statement.offset);
    findings.push({ file: path.basename(file.path), line, column, rule, severity: 'error', message, source: 'wabase' });
  };
  const rlsEnabled = new Set<string>();
  for (const statement of file.statements) {
    if (statement.kind !== 'AlterTableStmt') continue;
    const cmds = (statement.node?.cmds ?? []) as { AlterTableCmd?: Node }[];
    if (cmds.some((cmd) => cmd.AlterTableCmd?.subtype === 'AT_EnableRowSecurity')) rlsEnabled.add(relationName(statement.node?.relation));
  }
  file.statements.forEach((statement, index) => {
    const problem = idempotencyProblem(statement, index, file.statements);
    if (problem) at(statement, 'idempotent', `not idempotent: ${problem}`);
    if (statement.kind === 'CreateStmt') {
      const table = relationName(statement.node?.relation);
      if (table.startsWith('public.') && !rlsEnabled.has(table)) {
        at(statement, 'rls-on-new-table', `table ${table} is created without ALTER TABLE … ENABLE ROW LEVEL SECURITY in this file`);
      }
    }
    if (statement.kind === 'CreateFunctionStmt') {
      const definer = hasDefElem(statement.node?.options, 'security') as { arg?: { Boolean?: { boolval?: boolean } } } | undefined;
      const set = hasDefElem(statement.node?.options, 'set') as { arg?: { VariableSetStmt?: { name?: string } } } | undefined;
      if (definer?.arg?.Boolean?.boolval && set?.arg?.VariableSetStmt?.name !== 'search_path') {
        at(statement, 'definer-search-path', `security definer function ${names(statement.node?.funcname).join('.')} must SET search_path`);
      }
    }
  });
  return findings;
}
