import type { ReconcilePlan } from './generate.js';

/**
 * `db reconcile --as-migration` (nothing pending): the live statements as a migration file. Every
 * statement the generator writes is guarded or idempotent (if [not] exists, drop-then-create
 * policies, grants and revokes), so the file is a no-op where there is no drift and passes
 * check-idempotent; approve and manual items stay comments.
 */
export function asMigration(plan: ReconcilePlan, now = new Date()): string {
  const live = plan.items.filter((item) => item.mark === 'safe' || item.reason.endsWith('[approved]'));
  const held = plan.items.filter((item) => !live.includes(item));
  const lines = [
    `-- Reconcile of drift found on ${plan.target} (PostgreSQL ${plan.server}) at ${now.toISOString()} by wabase db reconcile --as-migration.`,
    '-- Each statement is guarded, so this file changes nothing where the drift is absent.',
    '',
    ...live.flatMap((item) => [`-- [${item.mark}] ${item.reason}`, item.sql]),
    ...held.flatMap((item) => [`-- [${item.mark}] ${item.reason}`, ...item.sql.split('\n').map((line) => `-- ${line}`)]),
    '',
  ];
  return lines.join('\n');
}
