import fs from 'node:fs';
import path from 'node:path';

/** What `postmaster.pid` says about a server that holds (or held) a data directory. */
export interface PidFile {
  pid: number;
  port: number;
  /** The process named in the file is alive and is a postgres server. */
  alive: boolean;
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, owned by another user (the postgres user when we are root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /postgres/.test(cmdline);
  } catch {
    // No /proc (macOS): trust the signal check.
    return true;
  }
}

/** Reads `<dataDir>/postmaster.pid`; null when there is none. */
export function readPidFile(dataDir: string): PidFile | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, port, alive: false };
  return { pid, port, alive: isPostgresProcess(pid) };
}

export function removePidFile(dataDir: string): void {
  fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
}
