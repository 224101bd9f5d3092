import { CATALOG_SECTIONS, type Catalog } from './catalog.js';

/** Singular names for messages: `✗ column workspace_entitlements.value: …`. */
const NOUN: Record<(typeof CATALOG_SECTIONS)[number], string> = {
  tables: 'table',
  columns: 'column',
  constraints: 'constraint',
  indexes: 'index',
  functions: 'function',
  triggers: 'trigger',
  views: 'view',
  policies: 'policy',
  privileges: 'grant on',
  sequences: 'sequence',
  types: 'type',
  extensions: 'extension',
  rows: 'row',
};

export interface Difference {
  kind: 'missing' | 'extra' | 'changed';
  section: (typeof CATALOG_SECTIONS)[number];
  name: string;
  property?: string;
  expected?: unknown;
  actual?: unknown;
  /** One readable line, e.g. `column workspace_entitlements.value: nullable expected YES, got NO`. */
  message: string;
}

/** Sections whose names start with `<table>.`. */
const TABLE_CHILDREN = new Set(['columns', 'constraints', 'triggers', 'policies']);

function show(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Differences between the expected catalog (the lock) and the live one. Missing and changed
 * objects break the schema's contract; extra objects are drift the lock does not know about.
 */
export function compareCatalogs(expected: Catalog, actual: Catalog): Difference[] {
  const differences: Difference[] = [];
  // Objects of a table that is missing altogether are folded into that table's one line.
  const missingTables = new Set(Object.keys(expected.tables ?? {}).filter((name) => !(name in (actual.tables ?? {}))));
  const ownerTable = (section: string, name: string, props: Record<string, unknown> | null | undefined) =>
    section === 'indexes'
      ? String(props?.table ?? '')
      : section === 'privileges'
        ? (/^(?:table|column) ([^. ]+)/.exec(name)?.[1] ?? '')
        : TABLE_CHILDREN.has(section) ? name.split('.')[0]! : '';
  const folded = new Map<string, number>();
  for (const section of CATALOG_SECTIONS) {
    const want = expected[section] ?? {};
    const have = actual[section] ?? {};
    const noun = NOUN[section];
    for (const name of Object.keys(want).sort()) {
      const wanted = want[name];
      const found = have[name];
      if (found === undefined || (found === null && wanted !== null)) {
        const table = ownerTable(section, name, wanted);
        if (missingTables.has(table)) {
          folded.set(table, (folded.get(table) ?? 0) + 1);
          continue;
        }
        differences.push({ kind: 'missing', section, name, message: `${noun} ${name}: missing` });
        continue;
      }
      for (const property of Object.keys({ ...wanted, ...found }).sort()) {
        const a = show(wanted?.[property]);
        const b = show(found?.[property]);
        if (a !== b) {
          differences.push({
            kind: 'changed',
            section,
            name,
            property,
            expected: wanted?.[property],
            actual: found?.[property],
            message: section === 'indexes' && property === 'valid' && found?.valid === false
              ? `${noun} ${name}: invalid (a concurrent build failed): drop index concurrently ${name}, then push again`
              : `${noun} ${name}: ${property.replace(/_/g, ' ')} expected ${a}, got ${b}`,
          });
        }
      }
    }
    for (const name of Object.keys(have).sort()) {
      if (!(name in want) && have[name] !== null) differences.push({ kind: 'extra', section, name, actual: have[name], message: `${noun} ${name}: not in the lock` });
    }
  }
  for (const difference of differences) {
    const count = difference.section === 'tables' ? folded.get(difference.name) : undefined;
    if (count) difference.message += ` (with its ${count} column(s), constraint(s), index(es) and policies)`;
  }
  return differences;
}
