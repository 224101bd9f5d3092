import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

function tar(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    // tar exits 1 when a file changed while read: expected here, WAL replay makes it consistent.
    child.on('close', (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`tar failed (${code}): ${stderr.trim()}`))));
  });
}

/**
 * A consistent copy of a running server's data directory, as PostgreSQL's low-level backup API
 * describes: pg_backup_start, copy the files, pg_backup_stop, then add its backup_label and the WAL
 * written meanwhile. Starting a server on the copy replays that WAL. Written as a .tar.gz.
 */
export async function copyDataDirectory(url: string, dataDir: string, file: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'wabase backup' });
  await client.connect();
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-backup-'));
  try {
    await client.query('select pg_backup_start(\'wabase\', true)');
    let label: string;
    try {
      await tar(['-C', dataDir, '--exclude=./pg_wal/*', '--exclude=./postmaster.pid', '--exclude=./postmaster.opts',
        '--exclude=./server.log', '-cf', path.join(staging, 'base.tar'), '.']);
    } finally {
      const stopped = await client.query<{ labelfile: string }>('select labelfile from pg_backup_stop(false)');
      label = stopped.rows[0]!.labelfile;
    }
    // WAL written up to the backup's end is in pg_wal now; add it and the label, then compress.
    await tar(['-C', dataDir, '-rf', path.join(staging, 'base.tar'), './pg_wal']);
    fs.writeFileSync(path.join(staging, 'backup_label'), label);
    await tar(['-C', staging, '-rf', path.join(staging, 'base.tar'), './backup_label']);
    await new Promise<void>((resolve, reject) => {
      const gzip = spawn('gzip', ['-c', path.join(staging, 'base.tar')], { stdio: ['ignore', fs.openSync(file, 'w'), 'pipe'] });
      gzip.on('error', reject);
      gzip.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`gzip failed (${code})`))));
    });
  } finally {
    await client.end().catch(() => {});
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Unpacks a data-directory copy into `dataDir` (which must not exist). */
export async function unpackDataDirectory(file: string, dataDir: string, owner: { uid: number; gid: number } | null): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  await tar(['-C', dataDir, '-xzf', file]);
  fs.mkdirSync(path.join(dataDir, 'pg_wal', 'archive_status'), { recursive: true });
  if (owner) {
    const chown = (target: string) => {
      fs.chownSync(target, owner.uid, owner.gid);
      if (fs.statSync(target).isDirectory()) for (const entry of fs.readdirSync(target)) chown(path.join(target, entry));
    };
    chown(dataDir);
  }
  fs.chmodSync(dataDir, 0o700);
}
