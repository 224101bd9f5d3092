import { createHash } from 'node:crypto';
import { type Catalog, stableCatalog } from './catalog.js';

/** A stable hash of a catalog: equal catalogs (any key order, PG 15 or 17) hash equal. */
export function catalogDigest(catalog: Catalog): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(stableCatalog(catalog))).digest('hex')}`;
}
