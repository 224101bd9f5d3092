import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { localSecrets } from '../src/local-secrets.js';
import { exited, spawnTs } from './helpers/process.js';
import { recordChildOutput } from './helpers/run-log.js';

const cli = path.join(import.meta.dirname, '../src/cli/main.ts');

function startProcess(home: string) {
  const child = spawnTs(cli, ['start'], {
    cwd: path.join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      WABASE_HOME: home,
      PORT: '0',
      WABASE_PG_PORT: '54600',
      // Its log goes to the run's log folder, grepped for secrets at the end.
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
    },
  });
  recordChildOutput(child, 'wabase-start');
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /wabase is running at (http:\/\/\S+) /.exec(out);
      if (match) resolve(match[1]!);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`start exited with ${code}:\n${out}\n${err}`)));
  });
  /** Resolves with the first stdout line matching `pattern` (waits for it). */
  const line = async (pattern: RegExp): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      const found = out.split('\n').find((candidate) => pattern.test(candidate));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no line matching ${pattern} in:\n${out}`);
  };
  return { child, url, line };
}

async function pgPort(home: string): Promise<number> {
  return Number(fs.readFileSync(path.join(home, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
}

describe('wabase start', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-start-'));
  fs.chmodSync(home, 0o755);
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('brings up the database, applies migrations and serves /readyz; data survives kill -9 and restart', async () => {
    const first = startProcess(home);
    const url = await first.url;
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
    // No platform admin yet: one line with the one-time first-run link (token in the fragment).
    const firstRun = await first.line(/^First run: /);
    assert.match(firstRun, new RegExp(`^First run: open ${url.replace(/[.]/g, '\\.')}/setup#token=[A-Za-z0-9_-]{43} within 1 hour`));

    const dbUrl = `postgresql://postgres:${localSecrets(home).pgPassword}@127.0.0.1:${await pgPort(home)}/wabase`;
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query('insert into auth.users (email) values (\'kept@example.com\')');
    await client.end();

    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = startProcess(home);
    const url2 = await second.url;
    assert.equal((await fetch(`${url2}/readyz`)).status, 200);
    const again = new pg.Client({
      connectionString: dbUrl.replace(/:\d+\/wabase$/, `:${await pgPort(home)}/wabase`),
    });
    await again.connect();
    const rows = (await again.query('select email from auth.users where email = \'kept@example.com\'')).rows;
    await again.end();
    assert.equal(rows.length, 1);

    second.child.kill('SIGTERM');
    assert.equal(await exited(second.child), 0);
    assert.equal(
      fs.existsSync(path.join(home, 'pg', 'postmaster.pid')),
      false,
      'PostgreSQL stopped with the process',
    );
  });
});

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A live process (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return !fs.existsSync('/proc/self');
  }
}

/** pg_ctl returns once postmaster.pid is gone; the process itself exits a moment later. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return !alive(pid);
}

/**
 * `npm start` as a terminal runs it: the leader of its own process group, so a signal to the group
 * reaches npm and node alike (and npm forwards its copy to node).
 */
function startInGroup(home: string, pgPort: number) {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: path.join(import.meta.dirname, '..'),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      WABASE_HOME: home,
      PORT: '0',
      WABASE_PG_PORT: String(pgPort),
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      SUPABASE_DB_URL: '',
    },
  });
  recordChildOutput(child, 'npm-start');
  after(() => {
    try {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /wabase is running at (http:\/\/\S+) /.exec(out);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 50);
    void exit.then((code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => process.kill(-child.pid!, signal);
  return { child, url, exit, signalGroup, output: () => out };
}

/** The embedded server of `home` as postmaster.pid names it. */
function postmaster(home: string): { pid: number; port: number } {
  const lines = fs.readFileSync(path.join(home, 'pg', 'postmaster.pid'), 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

async function assertStopped(home: string, server: { pid: number; port: number }, output: string) {
  assert.equal(fs.existsSync(path.join(home, 'pg', 'postmaster.pid')), false, `postmaster.pid left behind:\n${output}`);
  assert.equal(await gone(server.pid), true, `postgres ${server.pid} still running:\n${output}`);
  assert.equal(await listening(server.port), false, `port ${server.port} still taken:\n${output}`);
}

describe('npm start in a terminal (signals to its process group)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-ctrlc-'));
  fs.chmodSync(home, 0o755);
  after(() => fs.rmSync(home, { recursive: true, force: true }));
  const pgPort = 54610;

  it('Ctrl-C (SIGINT to the group: npm and node both get it, npm forwards its copy) exits 0 with PostgreSQL stopped', async () => {
    const run = startInGroup(home, pgPort);
    await run.url;
    const server = postmaster(home);
    assert.equal(alive(server.pid), true);
    run.signalGroup('SIGINT');
    assert.equal(await run.exit, 0, run.output());
    await assertStopped(home, server, run.output());
  });

  it('SIGTERM to the group (as `timeout 30 npm start` sends) exits 0 with PostgreSQL stopped', async () => {
    const run = startInGroup(home, pgPort);
    await run.url;
    const server = postmaster(home);
    run.signalGroup('SIGTERM');
    assert.equal(await run.exit, 0, run.output());
    await assertStopped(home, server, run.output());
  });

  it('a deliberate second Ctrl-C 1.5 s later forces exit, and PostgreSQL is still stopped', async () => {
    const run = startInGroup(home, pgPort);
    const url = new URL(await run.url);
    const server = postmaster(home);
    // A request whose body never finishes keeps the orderly shutdown waiting, as a slow client would.
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /api/webhooks/meta/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    after(() => socket.destroy());
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.signalGroup('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(run.child.exitCode, null, `the shutdown was expected to still wait for the open request:\n${run.output()}`);
    run.signalGroup('SIGINT');
    const code = await run.exit;
    assert.notEqual(code, 0, run.output());
    assert.match(run.output(), /second signal: stopping PostgreSQL at once/);
    await assertStopped(home, server, run.output());
  });
});
