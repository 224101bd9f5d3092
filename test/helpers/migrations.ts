import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/** A project folder with `supabase/migrations` (and rollbacks) holding the given files. */
export function migrationProject(files: Record<string, string>, rollbacks: Record<string, string> = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-mig-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const migrations = path.join(root, 'supabase', 'migrations');
  const rollbacksDir = path.join(root, 'supabase', 'rollbacks');
  fs.mkdirSync(migrations, { recursive: true });
  fs.mkdirSync(rollbacksDir, { recursive: true });
  const write = (dir: string, name: string, sql: string) => fs.writeFileSync(path.join(dir, name), sql);
  for (const [name, sql] of Object.entries(files)) write(migrations, name, sql);
  for (const [name, sql] of Object.entries(rollbacks)) write(rollbacksDir, name, sql);
  return {
    root,
    migrations,
    rollbacks: rollbacksDir,
    lock: path.join(root, 'supabase', 'schema.lock.json'),
    add: (name: string, sql: string) => write(migrations, name, sql),
    remove: (name: string) => fs.rmSync(path.join(migrations, name)),
  };
}
