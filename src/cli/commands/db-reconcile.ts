import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { projectPaths } from '../../migrate/files.js';
import { renderReconcile } from '../../migrate/reconcile/file.js';
import { planReconcile } from '../../migrate/reconcile/generate.js';
import { asMigration } from '../../migrate/reconcile/as-migration.js';
import type { Hazard } from '../../migrate/reconcile/items.js';
import { parseRenames } from '../../migrate/reconcile/renames.js';
import { type Command, printJson } from '../command.js';
import { withDatabase } from '../with-database.js';

const HAZARDS: Hazard[] = ['data-dependent', 'perf', 'authz', 'api'];

function approvals(value: unknown): Hazard[] {
  if (typeof value !== 'string' || value === '') return [];
  const list = value.split(',').map((v) => v.trim());
  const unknown = list.filter((v) => !HAZARDS.includes(v as Hazard));
  if (unknown.length) throw new InputError(`--approve: unknown hazard ${unknown.join(', ')}; expected some of ${HAZARDS.join(', ')}`);
  return list as Hazard[];
}

/** `20261205120000`: the UTC time as a migration-style version. */
const stamp = (now: Date) => now.toISOString().replace(/[-:T]/g, '').slice(0, 14);

export const dbReconcile: Command = {
  name: 'db reconcile',
  usage: '[--label NAME] [--approve data-dependent,perf,authz,api] [--accept-rename table.old=new,…] [--as-migration]',
  summary: 'Writes supabase/reconcile/<timestamp>_<label>.sql: the statements that undo the drift, marked safe / approve:<hazard> / manual. Reads only.',
  options: { 'label': { type: 'string' }, 'approve': { type: 'string' }, 'accept-rename': { type: 'string' }, 'as-migration': { type: 'boolean' } },
  run: ({ values, json }) =>
    withDatabase(async (url, config) => {
      const label = typeof values.label === 'string' ? values.label : 'drift';
      if (!/^[a-z0-9_]{1,40}$/.test(label)) throw new InputError('--label: lowercase letters, digits and _ only (at most 40)');
      const paths = projectPaths();
      const plan = await planReconcile(url, {
        migrationsDir: paths.migrations, lockFile: paths.lock, approve: approvals(values.approve), clone: { pgDump: config.pgDump },
        acceptRenames: parseRenames(values['accept-rename']),
      });
      const now = new Date();
      let file: string;
      if (values['as-migration']) {
        if (plan.pending.length > 0) {
          throw new InputError(`--as-migration needs nothing pending (${plan.pending.length} file(s) are): drift mid-history belongs in supabase/reconcile/, applied with db push --reconcile`);
        }
        file = path.join(paths.migrations, `${stamp(now)}_reconcile_${label}.sql`);
        fs.writeFileSync(file, asMigration(plan, now));
      } else {
        const dir = path.join(path.dirname(paths.migrations), 'reconcile');
        fs.mkdirSync(dir, { recursive: true });
        file = path.join(dir, `${stamp(now)}_${label}.sql`);
        fs.writeFileSync(file, renderReconcile(plan, now));
      }
      const count = (mark: string) => plan.items.filter((i) => i.mark.startsWith(mark)).length;
      if (json) printJson({ file, fingerprint: plan.fingerprint, items: plan.items });
      else {
        console.log(`wrote ${path.relative(process.cwd(), file)}: ${count('safe')} safe, ${count('approve:')} to approve, ${count('manual')} manual`);
        console.log(values['as-migration'] ? 'review it, then: wabase db push && wabase db snapshot' : `review it, then: wabase db push --reconcile ${path.relative(process.cwd(), file)}`);
      }
      return 0;
    }),
};
