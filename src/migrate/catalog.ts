import fs from 'node:fs';
import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** One kind of object: name -> its normalized properties. */
export type CatalogSection = Record<string, Record<string, unknown> | null>;

/** The normalized catalog, as `supabase/schema.lock.json` stores it. */
export interface Catalog {
  tables: CatalogSection;
  columns: CatalogSection;
  constraints: CatalogSection;
  indexes: CatalogSection;
  functions: CatalogSection;
  triggers: CatalogSection;
  views: CatalogSection;
  policies: CatalogSection;
  /** `<kind> <name> to <grantee>` -> privileges: table, view, column, function, sequence and default ACLs. */
  privileges: CatalogSection;
  sequences: CatalogSection;
  /** Enum and domain types. */
  types: CatalogSection;
  extensions: CatalogSection;
  /** Rows the schema needs to work (the private media bucket, the single session row guard). */
  rows: CatalogSection;
}

export const CATALOG_SECTIONS = [
  'tables',
  'columns',
  'constraints',
  'indexes',
  'functions',
  'triggers',
  'views',
  'policies',
  'privileges',
  'sequences',
  'types',
  'extensions',
  'rows',
] as const satisfies readonly (keyof Catalog)[];

const catalogSql = fs.readFileSync(new URL('./catalog.sql', import.meta.url), 'utf8');

/** Rows the migrations create and the product relies on; SQL here is constant, never user text. */
const REQUIRED_ROWS: { key: string; table: string; sql: string }[] = [
  {
    key: 'storage.buckets:wa-media',
    table: 'storage.buckets',
    sql: 'select jsonb_build_object(\'public\', b.public) from storage.buckets b where b.id = \'wa-media\'',
  },
  {
    key: 'public.wa_sessions:single_row',
    table: 'public.wa_sessions',
    sql: 'select jsonb_build_object(\'at_most_one\', count(*) <= 1) from public.wa_sessions',
  },
];

/**
 * Reads the live catalog in two fixed round trips, however many objects there are: the catalog
 * query, then the required rows of the tables that exist.
 */
export async function readCatalog(db: Queryable): Promise<Catalog> {
  // One simple-protocol round trip (one implicit transaction, so the local search_path holds):
  // search_path, the catalog, and which required-row tables exist. All SQL here is constant.
  const presence = REQUIRED_ROWS.map((row) => `to_regclass('${row.table}') is not null`).join(', ');
  const results = (await db.query(
    `select set_config('search_path', 'public, extensions', true); ${catalogSql}; select array[${presence}] as present`,
  )) as unknown as pg.QueryResult[];
  const objects = results[1]!.rows[0].catalog as Omit<Catalog, 'rows'>;
  const present = results[2]!.rows[0].present as boolean[];
  const available = REQUIRED_ROWS.filter((_, i) => present[i]);
  let rows: CatalogSection = {};
  if (available.length > 0) {
    const select = available.map((row) => `'${row.key}', (${row.sql})`).join(', ');
    rows = (await db.query<{ rows: CatalogSection }>(`select jsonb_build_object(${select}) as rows`)).rows[0]!.rows;
  }
  for (const row of REQUIRED_ROWS) rows[row.key] ??= null;
  return { ...objects, rows };
}

/** Sorted keys, so the lock file diffs cleanly in review. */
export function stableCatalog(catalog: Catalog): Catalog {
  const sortObject = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortObject);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, sortObject((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return sortObject(catalog) as Catalog;
}
