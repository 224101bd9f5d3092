import fs from 'node:fs';
import { AppError } from '../errors.js';
import { type Catalog, stableCatalog } from './catalog.js';

/** Version of the lock file's layout; 1 had no `format` and no checkpoints. */
export const LOCK_FORMAT = 2;

/** `supabase/schema.lock.json`: the catalog the migrations produce, committed with them. */
export interface SchemaLock {
  format: number;
  /** Newest migration version the lock was made from. */
  version: string;
  /**
   * Digest of the catalog right after each migration (`catalogDigest`), by version: the expected
   * state of a database whose newest applied version is that one. Empty in a format-1 lock.
   */
  checkpoints: Record<string, string>;
  catalog: Catalog;
}

export function readLock(file: string): SchemaLock {
  let raw: Partial<SchemaLock>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SchemaLock>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('lock_missing', `${file} does not exist: run wabase db snapshot to create it`, 400);
    }
    throw new AppError('lock_invalid', `${file} is not valid JSON: ${(error as Error).message}`, 400);
  }
  const format = raw.format ?? 1;
  if (!Number.isInteger(format) || format > LOCK_FORMAT) {
    throw new AppError('lock_format_unsupported', `${file} has lock format ${String(raw.format)}; this wabase reads up to ${LOCK_FORMAT}: upgrade wabase`, 400);
  }
  if (!raw.catalog || typeof raw.version !== 'string') throw new AppError('lock_invalid', `${file} lacks version or catalog: run wabase db snapshot`, 400);
  return { format, version: raw.version, checkpoints: raw.checkpoints ?? {}, catalog: raw.catalog };
}

export function writeLock(file: string, lock: Omit<SchemaLock, 'format'>): void {
  const checkpoints = Object.fromEntries(Object.entries(lock.checkpoints).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const body = { format: LOCK_FORMAT, version: lock.version, checkpoints, catalog: stableCatalog(lock.catalog) };
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}
