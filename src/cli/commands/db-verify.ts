import { projectPaths } from '../../migrate/files.js';
import type { Difference } from '../../migrate/compare.js';
import { snapshot } from '../../migrate/snapshot.js';
import { verify } from '../../migrate/verify.js';
import { type Command, printJson } from '../command.js';
import { withDatabase } from '../with-database.js';

export const dbVerify: Command = {
  name: 'db verify',
  summary: 'Compares the live schema with supabase/schema.lock.json: one line per missing or different object.',
  run: ({ json }) =>
    withDatabase(async (url) => {
      const result = await verify(url, projectPaths().lock);
      if (json) {
        printJson(result);
      } else {
        for (const error of result.errors) console.log(`✗ ${error.message}`);
        for (const warning of result.warnings) console.log(`! drift: ${warning.message}`);
        console.log(
          result.ok
            ? `✓ schema matches the lock (${result.warnings.length} drift warning(s), ${Math.round(result.ms)} ms)`
            : `✗ ${result.errors.length} difference(s) from the lock; run wabase db diff for a report`,
        );
      }
      return result.ok ? 0 : 1;
    }),
};

function group(title: string, items: Difference[]): string[] {
  if (items.length === 0) return [];
  return [`${title} (${items.length}):`, ...items.map((item) => `  ${item.message}`)];
}

export const dbDiff: Command = {
  name: 'db diff',
  summary: 'Drift report, live database vs lock, grouped as missing / extra / changed.',
  run: ({ json }) =>
    withDatabase(async (url) => {
      const result = await verify(url, projectPaths().lock);
      const all = [...result.errors, ...result.warnings];
      const by = (kind: Difference['kind']) => all.filter((item) => item.kind === kind);
      if (json) {
        printJson({ missing: by('missing'), extra: by('extra'), changed: by('changed') });
      } else if (all.length === 0) {
        console.log('no drift: the live schema is exactly what the migrations produce');
      } else {
        const lines = [
          ...group('Missing (in the migrations, not in the database)', by('missing')),
          ...group('Changed (different in the database)', by('changed')),
          ...group('Extra (in the database, unknown to the migrations)', by('extra')),
        ];
        console.log(lines.join('\n'));
      }
      return all.length === 0 ? 0 : 1;
    }),
};

export const dbSnapshot: Command = {
  name: 'db snapshot',
  summary: 'Applies all migrations to a scratch database and writes supabase/schema.lock.json.',
  run: ({ json }) =>
    withDatabase(async (url) => {
      const paths = projectPaths();
      const result = await snapshot(url, paths.migrations, paths.lock);
      if (json) printJson({ lock: paths.lock, ...result });
      else console.log(`wrote ${paths.lock} (through ${result.version}, ${result.checkpoints} checkpoint(s))`);
      return 0;
    }),
};
