import { openDatabase } from '../../db/database.js';
import { createPool } from '../../db/pool.js';
import { projectPaths } from '../../migrate/files.js';
import { push } from '../../migrate/push.js';
import { migrationPlan } from '../../migrate/status.js';
import { loadConfig } from '../../runtime/boot.js';
import { type Command, printJson } from '../command.js';

const ms = (value: number) => `${Math.round(value)} ms`;

export const dbPush: Command = {
  name: 'db push',
  usage: '[--include-all] [--lock-timeout SECONDS]',
  summary:
    'Applies pending migrations under an advisory lock, each in its own transaction with its history row.',
  options: {
    'include-all': { type: 'boolean' },
    'lock-timeout': { type: 'string' },
  },
  async run({ values, json }) {
    const config = loadConfig();
    const database = await openDatabase(config);
    try {
      const result = await push(database.url, {
        migrationsDir: projectPaths().migrations,
        includeAll: Boolean(values['include-all']),
        lockTimeoutMs: values['lock-timeout'] ? Number(values['lock-timeout']) * 1000 : 60_000,
        onEvent: json
          ? undefined
          : (event) => {
              if (event.type === 'step') console.log(`✓ ${event.step} (${ms(event.ms)})`);
              else console.log(`  ✓ ${event.version}_${event.name} (${ms(event.ms)})`);
            },
      });
      if (json) printJson({ applied: result.applied });
      else
        console.log(
          result.applied.length
            ? `applied ${result.applied.length} migration(s)`
            : 'nothing to apply: the database is up to date',
        );
      return 0;
    } finally {
      await database.stop();
    }
  },
};

export const dbStatus: Command = {
  name: 'db status',
  summary: 'Every migration as applied, pending, edited, out of order or missing locally.',
  async run({ json }) {
    const config = loadConfig();
    const database = await openDatabase(config);
    const pool = createPool(database.url, { max: 1, application: 'wabase cli' });
    try {
      const plan = await migrationPlan(pool, projectPaths().migrations);
      const rows = plan.entries.map(({ version, name, state }) => ({ version, name, state }));
      if (json) printJson({ migrations: rows });
      else for (const row of rows) console.log(`${row.state.padEnd(16)} ${row.version}_${row.name}`);
      const clean = plan.edited.length + plan.missingLocally.length === 0;
      return clean ? 0 : 1;
    } finally {
      await pool.end();
      await database.stop();
    }
  },
};
