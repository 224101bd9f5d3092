import fs from 'node:fs';
import type pg from 'pg';
import { type Catalog, readCatalog } from '../catalog.js';

const definitionsSql = fs.readFileSync(new URL('./definitions.sql', import.meta.url), 'utf8');

/** `functions:f(a integer)` / `triggers:t.trg` / `views:v` -> the definition and the GRANT/REVOKE target. */
export type Definitions = Map<string, { sql: string; target: string }>;

/** The expected state's catalog and its function, trigger and view definitions (fully qualified), from one scratch. */
export async function readWithDefinitions(client: pg.Client): Promise<{ catalog: Catalog; definitions: Definitions }> {
  const catalog = await readCatalog(client);
  const results = (await client.query(`begin read only; set local search_path = ''; ${definitionsSql}; commit`)) as unknown as pg.QueryResult<{
    section: string; name: string; sql: string; target: string;
  }>[];
  const definitions: Definitions = new Map(results[2]!.rows.map((row) => [`${row.section}:${row.name}`, { sql: row.sql, target: row.target }]));
  return { catalog, definitions };
}
