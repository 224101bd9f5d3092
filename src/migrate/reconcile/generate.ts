import pg from 'pg';
import { type Catalog, readCatalog } from '../catalog.js';
import { compareCatalogs, type Difference } from '../compare.js';
import { catalogDigest } from '../digest.js';
import { newestApplied } from '../drift/checkpoint.js';
import { emptyCatalog, withExpectedScratch } from '../drift/expected.js';
import { pendingImpact } from '../drift/impact.js';
import { parseMigrations, readMigrations } from '../files.js';
import { readHistory } from '../history.js';
import { readLock } from '../lockfile.js';
import { makePlan } from '../plan.js';
import type { CloneOptions } from '../clone/clone-schema.js';
import { renderReconcile } from './file.js';
import { type AcceptedRename, renameItems } from './renames.js';
import { reconcileItems } from './definition-items.js';
import { type Definitions, readWithDefinitions } from './definitions.js';
import { type Hazard, type Item, itemsFor } from './items.js';
import { type Rehearsal, rehearse } from './rehearse.js';

export interface ReconcilePlan {
  items: Item[];
  /** Digest of the live catalog the plan was made from. */
  fingerprint: string;
  applied: string;
  pending: string[];
  server: string;
  target: string;
  /** The proof on a schema clone (absent when not attempted). */
  rehearsal?: Rehearsal;
}

/** Objects of a table: columns, constraints, triggers and policies are named `<table>.…`. */
const ofTable = (d: Difference, tables: Set<string>) =>
  ['columns', 'constraints', 'triggers', 'policies'].includes(d.section) && tables.has(d.name.split('.')[0]!);

/**
 * Read-only counts for the items that depend on data: run in a read-only transaction with a short
 * statement timeout; only counts come back, never rows. Identifiers are quoted by the generator.
 */
async function runProbes(client: pg.Client, items: Item[]): Promise<void> {
  const probed = items.filter((item) => item.probe);
  if (probed.length === 0) return;
  await client.query('begin read only; set local statement_timeout = \'5s\'');
  try {
    for (const item of probed) {
      const { table, where, meaning } = item.probe!;
      const count = Number((await client.query(`select count(*) as n from public."${table.replace(/"/g, '""')}" where ${where}`)).rows[0].n);
      item.reason += ` (probe: ${count} ${meaning})`;
      if (item.mark === 'approve:data-dependent' && count > 0) {
        item.mark = 'manual';
        item.reason += ': it would fail; fix the data first';
      }
    }
  } finally {
    await client.query('rollback');
  }
}

/**
 * `wabase db reconcile`: what takes the live database back to the state the applied migrations
 * make (and, for tables a pending `create table if not exists` would skip, to the lock's shape),
 * one marked statement per difference. Reads only: the live catalog, E_applied on a scratch
 * database, and read-only probes.
 */
export async function planReconcile(
  url: string,
  options: {
    migrationsDir: string; lockFile: string; approve?: Hazard[]; rehearse?: boolean; clone?: CloneOptions;
    /** Rename candidates a human confirmed (`--accept-rename table.old=new`): renamed back instead of add + drop. */
    acceptRenames?: AcceptedRename[];
  },
): Promise<ReconcilePlan> {
  const lock = readLock(options.lockFile);
  const client = new pg.Client({ connectionString: url, application_name: 'wabase reconcile' });
  await client.connect();
  try {
    const files = await readMigrations(options.migrationsDir, { parse: false });
    const plan = makePlan(files, await readHistory(client));
    await parseMigrations(plan.toApply);
    const live = await readCatalog(client);
    const applied = newestApplied(plan);
    // Definitions (functions, triggers, views) come from the expected state itself, on a scratch database.
    const { catalog: expected, definitions }: { catalog: Catalog; definitions: Definitions } = applied
      ? await withExpectedScratch(url, files, applied, readWithDefinitions)
      : { catalog: emptyCatalog(), definitions: new Map() };
    const impact = pendingImpact(plan.toApply, live, lock.catalog);
    const collided = new Set([...impact.skipped.map((s) => s.table), ...impact.leftDifferent.keys()]);
    const drift = compareCatalogs(expected, live).filter((d) => {
      if (d.kind !== 'extra') return !ofTable(d, collided);
      // What a pending file creates is not drift to undo; what nothing makes is.
      return !(d.name in ((lock.catalog[d.section] ?? {}) as object)) && d.section !== 'rows' && d.section !== 'extensions';
    });
    const shape = compareCatalogs(lock.catalog, live).filter((d) => d.kind !== 'extra' && d.section === 'columns' && ofTable(d, collided));
    const renames = renameItems(drift, expected, live, options.acceptRenames ?? []);
    const items = [...renames.items, ...reconcileItems(drift.filter((d) => !renames.answered.has(d)), expected, live, definitions),
      ...shape.flatMap((d) => itemsFor(d, lock.catalog, live))];
    await runProbes(client, items);
    for (const item of items) if (item.mark.startsWith('approve:') && options.approve?.includes(item.mark.slice(8) as Hazard)) item.reason += ' [approved]';
    const server = String((await client.query('show server_version')).rows[0].server_version);
    const target = new URL(url);
    const result: ReconcilePlan = {
      items,
      fingerprint: catalogDigest(live),
      applied,
      pending: plan.toApply.map((file) => `${file.version}_${file.name}.sql`),
      server,
      target: `${target.hostname}:${target.port || 5432}${target.pathname}`,
    };
    if (options.rehearse !== false) {
      result.rehearsal = await rehearse(url, { reconcile: renderReconcile(result), pending: plan.toApply, lock, clone: options.clone });
    }
    return result;
  } finally {
    await client.end();
  }
}
