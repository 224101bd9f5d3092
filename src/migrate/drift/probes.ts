import pg from 'pg';
import type { Catalog } from '../catalog.js';
import type { Finding } from './classify.js';
import type { DataProbe } from './impact.js';
import { castType, probeQuery } from './probe-sql.js';

const key = (p: DataProbe) => `${p.kind}:${p.table}.${p.column}:${JSON.stringify(p.check ?? null)}`;

/** Runs one count in its own read-only transaction with a 5 s statement timeout; only a count comes back. */
async function count(client: pg.Client, sql: string): Promise<number> {
  await client.query('begin read only; set local statement_timeout = \'5s\'');
  try {
    return Number((await client.query(sql)).rows[0].n);
  } finally {
    await client.query('rollback').catch(() => {});
  }
}

/** What a null / rows probe found, as before: nulls under `set not null`, rows under a NOT NULL add. */
function simple(client: pg.Client, probe: DataProbe): { sql: string; says: (n: number) => string; fix: string } {
  const table = `public.${client.escapeIdentifier(probe.table)}`;
  if (probe.kind === 'nulls') {
    return { sql: `select count(*) as n from ${table} where ${client.escapeIdentifier(probe.column)} is null`,
      says: (n) => `${n} row(s) of ${probe.table} have a null ${probe.column}`,
      fix: `fill it first (update public.${probe.table} set ${probe.column} = … where ${probe.column} is null), or make the migration do so` };
  }
  return { sql: `select count(*) as n from ${table}`, says: (n) => `${probe.table} has ${n} row(s) and ${probe.column} is added NOT NULL without a default`,
    fix: `add ${probe.column} with a default or nullable, backfill, then set not null` };
}

/**
 * Counts, read-only, the rows that would make a pending statement fail: nulls under `set not null`,
 * rows under a NOT NULL column added without default, duplicates under a unique index or
 * constraint, rows a validated check or foreign key rejects, values a type change cannot cast. Each
 * probe runs in a `begin read only` transaction with a 5 s statement timeout; only counts come
 * back, never rows. A probe that cannot run (timeout) is reported, not guessed.
 */
export async function probeData(url: string, probes: DataProbe[], live: Catalog): Promise<Finding[]> {
  const unique = [...new Map(probes.map((p) => [key(p), p])).values()];
  if (unique.length === 0) return [];
  const client = new pg.Client({ connectionString: url, application_name: 'wabase drift probe' });
  await client.connect();
  const findings: Finding[] = [];
  try {
    const major = Math.floor(Number((await client.query('show server_version_num')).rows[0].server_version_num) / 10000);
    for (const probe of unique) {
      const where = `${probe.file}:${probe.line} \`${probe.text}\``;
      const object = probe.check?.kind === 'cast' ? `column ${probe.table}.${probe.check.column}` : probe.column ? `column ${probe.table}.${probe.column}` : `table ${probe.table}`;
      const query = probe.kind === 'data' ? probeQuery(client, live, probe.table, probe.check!) : simple(client, probe);
      if (!query) continue;
      const fix = 'fix' in query ? query.fix : 'fix or remove the offending rows first (the count is of rows, none are shown), or change the migration';
      let n: number;
      try {
        n = await count(client, query.sql);
      } catch (error) {
        const message = (error as Error).message;
        if (!('castError' in query) || (error as { code?: string }).code === '57014') {
          findings.push({ class: 'data-dependent', object, blocks: false, lines: [`${where}: could not be probed (${message})`], fix: 'check the data by hand' });
          continue;
        }
        // The cast itself failed: count the values that do not parse as the type (PostgreSQL 16+).
        const check = probe.check as Extract<NonNullable<DataProbe['check']>, { kind: 'cast' }>;
        const column = client.escapeIdentifier(check.column);
        // A USING expression may read other columns: only a plain cast's failures are counted value by value.
        const bad = major >= 16 && !check.using
          ? await count(client, `select count(*) as n from public.${client.escapeIdentifier(probe.table)} where ${column} is not null and ` +
          `not pg_input_is_valid(${column}::text, ${client.escapeLiteral(castType(client, check))})`).catch(() => null)
          : null;
        findings.push({ class: 'data-dependent', object, blocks: true,
          lines: [`${where} will FAIL: ${message}${bad ? ` (${bad} value(s) of ${probe.table}.${check.column} do not cast)` : ''}`],
          fix: 'fix the values that do not cast, or give the type change a USING expression that handles them' });
        continue;
      }
      if (n === 0 || 'castError' in query) continue;
      findings.push({ class: 'data-dependent', object, blocks: true, lines: [`${where} will FAIL: ${query.says(n)}`], fix });
    }
  } finally {
    await client.end();
  }
  return findings;
}
