import type { Catalog } from '../catalog.js';
import type { Difference } from '../compare.js';
import type { MigrationFile } from '../files.js';
import { API_ROLES, classifySeverity, splitGrant } from '../security.js';
import type { Impact } from './impact.js';
import { ambiguousOverloads } from './overloads.js';

export type DriftClass =
  | 'missing' | 'changed' | 'extra' | 'collision' | 'duplicate-index' | 'ambiguous-overload' | 'rename-candidate' | 'security' | 'data-dependent';

/** One drifted object, what it does to the pending files, and what fixes it. */
export interface Finding {
  class: DriftClass;
  /** `table wa_phone_numbers`, `index x`, `function f(a int)`. */
  object: string;
  /** Readable lines: what drifted, which pending line is skipped, which fails. */
  lines: string[];
  fix: string;
  /** Stops the push: a pending line fails, the result would not match the lock, or security is weaker. */
  blocks: boolean;
}

const NOUN: Record<string, string> = {
  tables: 'table', columns: 'column', constraints: 'constraint', indexes: 'index', functions: 'function', triggers: 'trigger',
  views: 'view', policies: 'policy', privileges: 'grant on', sequences: 'sequence', types: 'type', extensions: 'extension', rows: 'row',
};

const owningTable = (d: Difference): string | null =>
  d.section === 'tables' ? d.name : ['columns', 'constraints', 'triggers', 'policies'].includes(d.section) ? d.name.split('.')[0]! : null;

/** Index definition without its name, to find two indexes that are the same. */
const shape = (definition: string) => definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON/, 'CREATE $1INDEX ON');

/** A changed grant that gives an API role more than the lock does. */
function widened(d: Difference): boolean {
  if (d.section !== 'privileges' || d.kind !== 'changed' || !API_ROLES.has(splitGrant(d.name).grantee)) return false;
  const want = new Set(String(d.expected ?? '').split(','));
  return String(d.actual ?? '').split(',').some((p) => p && !want.has(p));
}

/**
 * Turns the differences between E_applied and the live catalog, and the pending files' impact,
 * into findings. `applied` names the version the expected state is at, for messages.
 */
export function classifyDrift(input: {
  differences: Difference[];
  live: Catalog;
  target: Catalog;
  impact: Impact;
  pending: MigrationFile[];
  applied: string;
}): Finding[] {
  const { differences, live, target, impact, pending, applied } = input;
  const at = applied ? `at version ${applied}` : 'before any migration';
  const findings: Finding[] = [];
  const explained = new Set<Difference>();
  const failingBy = (table: string) => impact.failing.filter((f) => f.table === table);
  const failLine = (f: Impact['failing'][number]) => `${f.file}:${f.line} \`${f.text}\` will FAIL: ${f.reason}`;

  // Tables a pending file creates that are already there: the create is skipped.
  const collidedTables = new Set([...impact.skipped.map((s) => s.table), ...impact.leftDifferent.keys()]);
  for (const table of collidedTables) {
    const skip = impact.skipped.find((s) => s.table === table);
    const fails = failingBy(table);
    const left = impact.leftDifferent.get(table) ?? [];
    const lines = [`table ${table} exists on the database but not ${at} (created by hand?)`];
    if (skip) {
      lines.push(`${skip.file}:${skip.line} \`${skip.text}\` will be SKIPPED`);
      lines.push(`it lacks ${skip.lacks.length} column(s) the migration defines: ${skip.lacks.join(', ')}`);
    }
    lines.push(...fails.map(failLine));
    if (left.length > 0) lines.push(`after the pending files it would still differ from the lock: ${left.join('; ')}`);
    for (const d of differences) if (owningTable(d) === table || (d.section === 'indexes' && (d.actual as { table?: string })?.table === table)) explained.add(d);
    findings.push({
      class: 'collision', object: `table ${table}`, lines, blocks: fails.length > 0 || left.length > 0,
      fix: `add what the table lacks (alter table public.${table} add column if not exists …), or write the migration to converge`,
    });
  }
  // Failing lines on tables that were not collisions (a column dropped or renamed by hand).
  const failingElsewhere = impact.failing.filter((f) => !collidedTables.has(f.table));
  for (const table of new Set(failingElsewhere.map((f) => f.table))) {
    const related = differences.filter((d) => owningTable(d) === table);
    related.forEach((d) => explained.add(d));
    findings.push({
      class: 'missing', object: `table ${table}`, blocks: true,
      lines: [...related.map((d) => d.message), ...failingElsewhere.filter((f) => f.table === table).map(failLine)],
      fix: 'restore what the pending file expects (see the missing objects above)',
    });
  }
  for (const skip of impact.skippedIndexes) {
    const mine = String((target.indexes[skip.index] as { definition?: string } | undefined)?.definition ?? '');
    const theirs = String((live.indexes[skip.index] as { definition?: string } | undefined)?.definition ?? '');
    if (!mine || mine === theirs) continue;
    findings.push({
      class: 'collision', object: `index ${skip.index}`, blocks: true,
      lines: [`index ${skip.index} exists with another definition: ${theirs}`, `${skip.file}:${skip.line} \`${skip.text}\` will be SKIPPED; the lock wants ${mine}`],
      fix: `drop index concurrently public.${skip.index}, then push (the migration builds it as the lock has it)`,
    });
  }

  // Duplicate indexes: the same definition under two names on one table.
  const byShape = new Map<string, string[]>();
  for (const [name, props] of Object.entries(live.indexes ?? {})) {
    const key = shape(String((props as { definition?: string }).definition ?? ''));
    byShape.set(key, [...(byShape.get(key) ?? []), name]);
  }
  for (const names of byShape.values()) {
    if (names.length < 2) continue;
    const extra = names.filter((name) => !(name in (target.indexes ?? {})));
    if (extra.length === 0) continue;
    findings.push({
      class: 'duplicate-index', object: `index ${extra.join(', ')}`, blocks: false,
      lines: [`indexes ${names.sort().join(' and ')} are the same index under two names`],
      fix: extra.map((name) => `drop index concurrently if exists public.${name};`).join(' '),
    });
    for (const d of differences) if (d.section === 'indexes' && extra.includes(d.name)) explained.add(d);
  }

  // Overloads that make calls of a locked function ambiguous.
  const mentions = (name: string) => pending.some((file) => new RegExp(`\\b${name}\\s*\\(`).test(file.sql));
  for (const [wanted, other] of ambiguousOverloads(target, live)) {
    const bare = wanted.slice(0, wanted.indexOf('('));
    findings.push({
      class: 'ambiguous-overload', object: `function ${other}`, blocks: mentions(bare),
      lines: [`function ${other} makes calls of ${wanted} ambiguous (function ${bare} is not unique)`],
      fix: `drop function if exists public.${other.replace(/\((.*)\)$/, (_, args: string) => `(${args.split(', ').map((a) => a.split(' ').slice(1).join(' ')).join(', ')})`)};`,
    });
    for (const d of differences) if (d.section === 'functions' && d.name === other) explained.add(d);
  }

  // Rename candidates: a column missing and an unknown one of the same type on the same table.
  for (const missing of differences.filter((d) => d.section === 'columns' && d.kind === 'missing')) {
    const [table] = missing.name.split('.');
    const type = (target.columns[missing.name] as { type?: string } | undefined)?.type;
    const candidate = differences.find((d) => d.section === 'columns' && d.kind === 'extra' && d.name.startsWith(`${table}.`) &&
      (d.actual as { type?: string })?.type === type && !(d.name in (target.columns ?? {})));
    if (!candidate) continue;
    explained.add(missing).add(candidate);
    findings.push({
      class: 'rename-candidate', object: `column ${missing.name}`, blocks: false,
      lines: [`column ${missing.name} is missing and ${candidate.name} (${type}) is unknown: renamed by hand?`],
      fix: `alter table public.${table} rename column ${candidate.name.split('.')[1]} to ${missing.name.split('.')[1]}; (a human must confirm)`,
    });
  }

  // Security: an extra permissive policy or API-role grant on what the migrations manage.
  const { errors, warnings } = classifySeverity(differences, live);
  // Grants folded into an unknown object's line are not listed on their own.
  const listed = new Set([...errors, ...warnings].map((d) => `${d.section}:${d.name}`));
  for (const d of differences) {
    if (explained.has(d) || !listed.has(`${d.section}:${d.name}`)) continue;
    const table = owningTable(d);
    if (table && collidedTables.has(table)) continue;
    const object = `${NOUN[d.section]} ${d.name}`;
    const wanted = (target[d.section] ?? {})[d.name];
    if (d.kind === 'extra' && wanted !== undefined) {
      // A pending file makes it: harmless when it is already exactly as the lock has it.
      const changed = Object.keys({ ...wanted, ...(d.actual as object) }).filter((key) =>
        JSON.stringify(wanted?.[key] ?? null) !== JSON.stringify((d.actual as Record<string, unknown> | null)?.[key] ?? null));
      if (changed.length === 0) continue;
      findings.push({
        class: 'collision', object, blocks: false,
        lines: [`${object} exists on the database but not ${at}; a pending file makes it, with other ${changed.join(', ')}`],
        fix: 'check the pending file replaces it (create or replace), else change it as the lock has it',
      });
      continue;
    }
    // A changed policy or RLS flag on a managed table may widen row access: treated as security.
    const rowAccess = d.kind === 'changed' && (d.section === 'policies' || (d.section === 'tables' && /rls/.test(String(d.property))));
    const security = widened(d) || rowAccess ||
      (d.kind === 'extra' && errors.some((e) => e.name === d.name && e.section === d.section && e.message.includes('(security:')));
    const reason = errors.find((e) => e.name === d.name && e.section === d.section)?.message.match(/\(security: (.*)\)$/)?.[1];
    const line = d.kind === 'extra'
      ? `${object} exists on the database, unknown to every migration${reason ? ` (security: ${reason})` : ''}`
      : d.kind === 'missing'
        ? `${object} is missing (the migrations up to ${applied || 'now'} made it)`
        : `${d.message.replace(/ expected /, ` ${at} is `)}`;
    findings.push({
      class: security ? 'security' : d.kind, object, blocks: security, lines: [line],
      fix: security
        ? 'revoke the grant or drop the policy (or add it to a migration if it is meant)'
        : d.kind === 'extra' ? 'none needed: left alone (never dropped automatically)' : 'restore it as the migrations made it',
    });
  }
  return findings;
}
