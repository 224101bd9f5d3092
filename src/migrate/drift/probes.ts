import pg from 'pg';
import type { Finding } from './classify.js';
import type { DataProbe } from './impact.js';

/**
 * Counts, read-only, the rows that would make a pending statement fail: nulls in a column a pending
 * `set not null` targets, rows of a table a NOT NULL column without default is added to. Runs in a
 * `begin read only` transaction with a 5 s statement timeout; only counts come back, never rows.
 */
export async function probeData(url: string, probes: DataProbe[]): Promise<Finding[]> {
  const unique = [...new Map(probes.map((p) => [`${p.kind}:${p.table}.${p.column}`, p])).values()];
  if (unique.length === 0) return [];
  const client = new pg.Client({ connectionString: url, application_name: 'wabase drift probe' });
  await client.connect();
  const findings: Finding[] = [];
  try {
    await client.query('begin read only; set local statement_timeout = \'5s\'');
    for (const probe of unique) {
      const table = `public.${client.escapeIdentifier(probe.table)}`;
      const where = probe.kind === 'nulls' ? ` where ${client.escapeIdentifier(probe.column)} is null` : '';
      const count = Number((await client.query(`select count(*) as n from ${table}${where}`)).rows[0].n);
      if (count === 0) continue;
      findings.push({
        class: 'data-dependent', object: `column ${probe.table}.${probe.column}`, blocks: true,
        lines: [`${probe.file}:${probe.line} \`${probe.text}\` will FAIL: ` + (probe.kind === 'nulls'
          ? `${count} row(s) of ${probe.table} have a null ${probe.column}`
          : `${probe.table} has ${count} row(s) and ${probe.column} is added NOT NULL without a default`)],
        fix: probe.kind === 'nulls'
          ? `fill it first (update public.${probe.table} set ${probe.column} = … where ${probe.column} is null), or make the migration do so`
          : `add ${probe.column} with a default or nullable, backfill, then set not null`,
      });
    }
  } finally {
    await client.query('rollback').catch(() => {});
    await client.end();
  }
  return findings;
}
