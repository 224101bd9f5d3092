import fs from 'node:fs';
import { AppError } from '../errors.js';
import { type Catalog, stableCatalog } from './catalog.js';

/** `supabase/schema.lock.json`: the catalog the migrations produce, committed with them. */
export interface SchemaLock {
  /** Newest migration version the lock was made from. */
  version: string;
  catalog: Catalog;
}

export function readLock(file: string): SchemaLock {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SchemaLock;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('lock_missing', `${file} does not exist: run wabase db snapshot to create it`, 400);
    }
    throw new AppError('lock_invalid', `${file} is not valid JSON: ${(error as Error).message}`, 400);
  }
}

export function writeLock(file: string, lock: SchemaLock): void {
  const body = { version: lock.version, catalog: stableCatalog(lock.catalog) };
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}
