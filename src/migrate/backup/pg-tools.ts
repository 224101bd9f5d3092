import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface PgTool {
  path: string;
  major: number;
}

function versionOf(file: string): number | null {
  const result = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 5000 });
  const match = /(\d+)(?:\.\d+)?/.exec(result.stdout ?? '');
  return result.status === 0 && match ? Number(match[1]) : null;
}

/** Every copy of `name` on the machine: the explicit one, PATH, then /usr/lib/postgresql/N/bin. */
function candidates(name: string, explicit: string | null): string[] {
  const found: string[] = [];
  if (explicit) found.push(explicit);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) found.push(path.join(dir, name));
  }
  try {
    for (const version of fs.readdirSync('/usr/lib/postgresql')) found.push(path.join('/usr/lib/postgresql', version, 'bin', name));
  } catch {}
  return [...new Set(found)].filter((file) => fs.existsSync(file));
}

/**
 * The newest `pg_dump` (or `pg_restore`) whose major version is at least the server's, since an
 * older one refuses to dump a newer server. `explicit` (PG_DUMP) is used only if it qualifies.
 */
export function findPgTool(name: 'pg_dump' | 'pg_restore', serverMajor: number, explicit: string | null = null): {
  tool: PgTool | null;
  seen: PgTool[];
} {
  const seen = candidates(name, explicit)
    .map((file) => ({ path: file, major: versionOf(file) }))
    .filter((tool): tool is PgTool => tool.major !== null);
  const fitting = seen.filter((tool) => tool.major >= serverMajor).sort((a, b) => b.major - a.major);
  const preferred = explicit ? fitting.find((tool) => tool.path === explicit) : undefined;
  return { tool: preferred ?? fitting[0] ?? null, seen };
}
