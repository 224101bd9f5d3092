import { execFileSync, spawnSync } from 'node:child_process';
import { DatabaseError } from '../../errors.js';

/** The account the server runs as; PostgreSQL refuses to run as root. */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

const SERVER_USER = 'postgres';

function lookup(name: string): RunAs | null {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name };
}

/**
 * Who runs the server: the current user, or — when we are root — the `postgres` system user,
 * created when missing (as Debian's own packages would).
 */
export function serverUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const existing = lookup(SERVER_USER);
  if (existing) return existing;
  try {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER],
      {
        stdio: 'pipe',
      },
    );
  } catch (error) {
    throw new DatabaseError(
      'embedded_user_missing',
      `running as root needs a "${SERVER_USER}" system user for PostgreSQL and creating it failed: ${String(error)}`,
      { cause: error },
    );
  }
  const created = lookup(SERVER_USER);
  if (!created)
    throw new DatabaseError(
      'embedded_user_missing',
      `could not find the "${SERVER_USER}" user after creating it`,
    );
  return created;
}

/** True when `user` can traverse (and so reach) every directory given. */
export function canReach(user: RunAs | null, dirs: string[]): boolean {
  if (!user) return true;
  const script = dirs.map((_, i) => `test -x "$${i + 1}"`).join(' && ');
  const result = spawnSync('/bin/sh', ['-c', script, 'sh', ...dirs], { uid: user.uid, gid: user.gid });
  return result.status === 0;
}
