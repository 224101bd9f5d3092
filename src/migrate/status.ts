import type pg from 'pg';
import { readMigrations } from './files.js';
import { readHistory } from './history.js';
import { makePlan, type Plan } from './plan.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** Plan of a database against the local files, without locking or changing anything. */
export async function migrationPlan(db: Queryable, migrationsDir: string): Promise<Plan> {
  return makePlan(await readMigrations(migrationsDir), await readHistory(db));
}

/** Why the schema is not current, or null when every local migration is applied. */
export function schemaBehindReason(plan: Plan): string | null {
  const waiting = plan.pending.length + plan.outOfOrder.length;
  if (waiting > 0) return `database schema is behind: ${waiting} migration(s) pending; run wabase db push`;
  return null;
}
