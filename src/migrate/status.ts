import type pg from 'pg';
import { readMigrations } from './files.js';
import { readHistory } from './history.js';
import { makePlan, type Plan } from './plan.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** Plan of a database against the local files, without locking, changing or parsing anything. */
export async function migrationPlan(db: Queryable, migrationsDir: string): Promise<Plan> {
  return makePlan(await readMigrations(migrationsDir, { parse: false }), await readHistory(db));
}

/** Versions of the local migrations (what this build needs applied); nothing is parsed. */
export async function requiredVersions(migrationsDir: string): Promise<string[]> {
  return (await readMigrations(migrationsDir, { parse: false })).map((file) => file.version);
}

/**
 * Why the database cannot serve this build, or null when it can: unreachable, or missing some of
 * `required` (the readiness check of /readyz and of serve/worker at start).
 */
export async function schemaNotReadyReason(db: Queryable, required: string[]): Promise<string | null> {
  let applied: Set<string>;
  try {
    const result = await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
    applied = new Set(result.rows.map((row) => row.version));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P01' || code === '3F000') return 'database schema is behind: no migrations applied; run wabase db push';
    return `database unreachable: ${(error as Error).message}`;
  }
  const missing = required.filter((version) => !applied.has(version));
  if (missing.length > 0) return `database schema is behind: ${missing.length} migration(s) pending; run wabase db push`;
  return null;
}
