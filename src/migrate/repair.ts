import pg from 'pg';
import { AppError } from '../errors.js';
import { readMigrations } from './files.js';
import { deleteHistory, ensureHistory, insertHistory } from './history.js';

/**
 * As `supabase migration repair`: mark versions applied (history rows written from the local files,
 * nothing run) or reverted (history rows removed, nothing run).
 */
export async function repair(
  url: string,
  migrationsDir: string,
  status: 'applied' | 'reverted',
  versions: string[],
): Promise<{ changed: string[] }> {
  if (versions.length === 0) throw new AppError('invalid_input', 'name at least one version to repair', 400);
  const files = new Map((await readMigrations(migrationsDir)).map((file) => [file.version, file]));
  if (status === 'applied') {
    const unknown = versions.filter((version) => !files.has(version));
    if (unknown.length) throw new AppError('unknown_version', `no local migration file for: ${unknown.join(', ')}`, 400);
  }
  const client = new pg.Client({ connectionString: url, application_name: 'wabase migrate' });
  await client.connect();
  try {
    await client.query('set client_min_messages = warning');
    await ensureHistory(client);
    await client.query('begin');
    const changed: string[] = [];
    if (status === 'reverted') {
      const result = await client.query<{ version: string }>(
        'select version from supabase_migrations.schema_migrations where version = any($1)',
        [versions],
      );
      await deleteHistory(client, versions);
      changed.push(...result.rows.map((row) => row.version));
    } else {
      for (const version of versions) {
        const file = files.get(version)!;
        const row = { version: file.version, name: file.name, statements: file.statements.map((s) => s.text) };
        if (await insertHistory(client, row, { ifAbsent: true })) changed.push(version);
      }
    }
    await client.query('commit');
    return { changed };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
