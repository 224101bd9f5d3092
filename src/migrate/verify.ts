import pg from 'pg';
import { type Catalog, readCatalog } from './catalog.js';
import { compareCatalogs, type Difference } from './compare.js';
import { readLock, type SchemaLock } from './lockfile.js';
import { classifySeverity } from './security.js';

export interface VerifyResult {
  ok: boolean;
  /** Missing or different objects, extra permissive policies and extra grants to API roles. */
  errors: Difference[];
  /** Objects the lock does not know: drift, reported but not failing. */
  warnings: Difference[];
  ms: number;
}

/** Compares a live catalog already read with the lock's. */
export function verifyCatalog(lock: SchemaLock, live: Catalog, started = performance.now()): VerifyResult {
  const { errors, warnings } = classifySeverity(compareCatalogs(lock.catalog, live), live);
  return { ok: errors.length === 0, errors, warnings, ms: performance.now() - started };
}

/** Compares the live catalog, read through `db`, with the lock file. */
export async function verifyWith(db: Pick<pg.ClientBase, 'query'>, lockFile: string): Promise<VerifyResult> {
  const started = performance.now();
  const lock = readLock(lockFile);
  return verifyCatalog(lock, await readCatalog(db), started);
}

/** Compares the live catalog of `url` with the lock file. */
export async function verify(url: string, lockFile: string): Promise<VerifyResult> {
  const client = new pg.Client({ connectionString: url, application_name: 'wabase verify' });
  await client.connect();
  try {
    return await verifyWith(client, lockFile);
  } finally {
    await client.end();
  }
}
