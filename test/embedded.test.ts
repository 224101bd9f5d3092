import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../src/db/embedded/server.js';
import { DatabaseError } from '../src/errors.js';
import { exited, firstJsonLine, spawnTs } from './helpers/process.js';
import { tempDir } from './helpers/tmp.js';

const isRoot = process.getuid?.() === 0;
const fixture = path.join(import.meta.dirname, 'fixtures/embedded-process.ts');

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function serverRunning(dataDir: string): boolean {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function started(options: Parameters<typeof startEmbeddedPostgres>[0]): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres(options);
  after(() => server.stop());
  return server;
}

describe('embedded PostgreSQL', () => {
  it('starts as root, running the server as the postgres user', {
    skip: !isRoot && 'not running as root',
  }, async () => {
    const dataDir = path.join(tempDir(), 'pg');
    const server = await started({ dataDir, port: 54510, password: 'pw' });
    const rows = await query(server.url(), 'select current_setting(\'server_version_num\')::int as v');
    assert.ok(Number(rows[0]!.v) >= 170000);
    const owner = fs.statSync(dataDir).uid;
    assert.notEqual(owner, 0, 'data directory belongs to the server user, not root');
  });

  it('keeps data across restarts and reuses the data directory', async () => {
    const dataDir = path.join(tempDir(), 'pg');
    const first = await startEmbeddedPostgres({ dataDir, port: 54520, password: 'pw' });
    await query(first.url(), 'create table kept (v text); insert into kept values ($$still here$$)');
    await first.stop();
    assert.equal(serverRunning(dataDir), false);
    const second = await started({ dataDir, port: 54520, password: 'pw' });
    const rows = await query(second.url(), 'select v from kept');
    assert.deepEqual(rows, [{ v: 'still here' }]);
  });

  it('picks a free port when the preferred one is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(54530, '127.0.0.1', resolve));
    after(() => blocker.close());
    const server = await started({ dataDir: path.join(tempDir(), 'pg'), port: 54530, password: 'pw' });
    assert.notEqual(server.port, 54530);
    assert.equal((await query(server.url(), 'select 1 as one'))[0]!.one, 1);
  });

  it('recovers a server left behind by a killed process (stale postmaster.pid, port held)', async () => {
    const dataDir = path.join(tempDir(), 'pg');
    const child = spawnTs(fixture, [dataDir, '54540']);
    const { port } = await firstJsonLine<{ port: number }>(child);
    child.kill('SIGKILL');
    await exited(child);
    assert.equal(serverRunning(dataDir), true, 'the killed parent left its server running');
    const server = await started({ dataDir, port: 54540, password: 'fixture-pw' });
    assert.equal(server.adopted, true);
    assert.equal(server.port, port);
    await server.stop();
    assert.equal(serverRunning(dataDir), false, 'the adopted server is stopped by its new owner');
  });

  it('removes a stale postmaster.pid whose process is gone', async () => {
    const dataDir = path.join(tempDir(), 'pg');
    const first = await startEmbeddedPostgres({ dataDir, port: 54545, password: 'pw' });
    await first.stop();
    // A pid that cannot be a running postgres: the test runner's own, dead child.
    const dead = spawnSync('true').pid;
    fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${dead}\n${dataDir}\n0\n54545\n\n127.0.0.1\n`);
    const messages: string[] = [];
    const server = await started({ dataDir, port: 54545, password: 'pw', log: (m) => messages.push(m) });
    assert.ok(messages.some((m) => m.includes('stale postmaster.pid')));
    assert.equal(server.adopted, false);
  });

  it('reports the server\'s own log lines when it fails to start', async () => {
    const dataDir = path.join(tempDir(), 'pg');
    const first = await startEmbeddedPostgres({ dataDir, port: 54550, password: 'pw' });
    await first.stop();
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), '\nshared_buffers = \'lots\'\n');
    await assert.rejects(
      startEmbeddedPostgres({ dataDir, port: 54550, password: 'pw' }),
      (error: unknown) => {
        assert.ok(error instanceof DatabaseError);
        assert.equal(error.code, 'embedded_start_failed');
        assert.match(error.message, /invalid value for parameter "shared_buffers"/);
        assert.doesNotMatch(error.message, /undefined/);
        return true;
      },
    );
  });

  it('stops PostgreSQL cleanly on SIGTERM', async () => {
    const dataDir = path.join(tempDir(), 'pg');
    const child = spawnTs(fixture, [dataDir, '54560']);
    await firstJsonLine(child);
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0);
    assert.equal(serverRunning(dataDir), false);
    const log = fs.readFileSync(path.join(dataDir, 'server.log'), 'utf8');
    assert.match(log, /received fast shutdown request/);
    assert.match(log, /database system is shut down/);
  });

  it('works as a normal (non-root) user', async () => {
    const dir = tempDir();
    let uid: number | undefined;
    let gid: number | undefined;
    if (isRoot) {
      if (spawnSync('id', ['-u', 'wabasetest']).status !== 0) {
        execFileSync('useradd', [
          '--system',
          '--no-create-home',
          '--shell',
          '/usr/sbin/nologin',
          'wabasetest',
        ]);
      }
      uid = Number(execFileSync('id', ['-u', 'wabasetest'], { encoding: 'utf8' }).trim());
      gid = Number(execFileSync('id', ['-g', 'wabasetest'], { encoding: 'utf8' }).trim());
      fs.chownSync(dir, uid, gid);
    }
    const dataDir = path.join(dir, 'pg');
    const child = spawnTs(fixture, [dataDir, '54570'], {
      ...(uid === undefined ? {} : { uid, gid }),
      env: { ...process.env, HOME: dir },
    });
    const { port } = await firstJsonLine<{ port: number }>(child);
    const rows = await query(`postgresql://postgres:fixture-pw@127.0.0.1:${port}/wabase`, 'select 1 as one');
    assert.equal(rows[0]!.one, 1);
    if (uid !== undefined) assert.equal(fs.statSync(dataDir).uid, uid);
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0);
    assert.equal(serverRunning(dataDir), false);
  });
});
