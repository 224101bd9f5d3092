import { InputError } from '../../errors.js';
import type { Catalog } from '../catalog.js';
import type { Difference } from '../compare.js';
import type { Item } from './items.js';

/** `--accept-rename table.old=new`: a column renamed by hand that the reconcile renames back. */
export interface AcceptedRename {
  table: string;
  from: string;
  to: string;
}

const NAME = /^[a-z_][a-z0-9_$]*$/i;

/** Parses `--accept-rename` values (`items.title=name`, comma-separated). */
export function parseRenames(value: unknown): AcceptedRename[] {
  if (typeof value !== 'string' || value === '') return [];
  return value.split(',').map((entry) => {
    const match = /^([^.=\s]+)\.([^.=\s]+)=([^.=\s]+)$/.exec(entry.trim());
    if (!match || ![match[1], match[2], match[3]].every((part) => NAME.test(part!))) {
      throw new InputError(`--accept-rename: expected table.old_column=new_column, got "${entry}"`);
    }
    return { table: match[1]!, from: match[2]!, to: match[3]! };
  });
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const type = (catalog: Catalog, key: string) => (catalog.columns[key] as { type?: string } | null | undefined)?.type;

/**
 * Rename candidates (a column the migrations make is missing, and an unknown one of the same type
 * is on the same table): renamed back when accepted, which keeps the data; otherwise one manual
 * item says so (the add and the drop it replaces stay as they are). Returns the items and the
 * differences they answer.
 */
export function renameItems(drift: Difference[], expected: Catalog, live: Catalog, accepted: AcceptedRename[]): { items: Item[]; answered: Set<Difference> } {
  const items: Item[] = [];
  const answered = new Set<Difference>();
  for (const missing of drift.filter((d) => d.section === 'columns' && d.kind === 'missing')) {
    const [table, to] = missing.name.split('.') as [string, string];
    const candidate = drift.find((d) => d.section === 'columns' && d.kind === 'extra' && d.name.startsWith(`${table}.`) &&
      type(live, d.name) === type(expected, missing.name));
    if (!candidate) continue;
    const from = candidate.name.split('.')[1]!;
    const sql = `alter table public.${q(table)} rename column ${q(from)} to ${q(to)};`;
    if (accepted.some((r) => r.table === table && r.from === from && r.to === to)) {
      items.push({ mark: 'safe', reason: `column ${table}.${from} is ${missing.name} renamed by hand (accepted with --accept-rename ${table}.${from}=${to}): renamed back, data kept`, sql });
      answered.add(missing).add(candidate);
    } else {
      items.push({ mark: 'manual', reason: `rename candidate: ${missing.name} is missing and ${candidate.name} (${String(type(live, candidate.name))}) is unknown; ` +
        `if it was renamed by hand, re-plan with --accept-rename ${table}.${from}=${to} (instead of the add and the drop)`, sql });
    }
  }
  for (const rename of accepted) {
    if (!items.some((i) => i.mark === 'safe' && i.sql.includes(`rename column ${q(rename.from)} to ${q(rename.to)}`))) {
      throw new InputError(`--accept-rename ${rename.table}.${rename.from}=${rename.to}: no such rename candidate (a missing ${rename.to} and an unknown ${rename.from} of the same type)`);
    }
  }
  return { items, answered };
}
