// Scale-out proof: two API processes and two worker processes on one external PostgreSQL 15
// (Debian's, started here), under webhook load and a send burst, with one API and one worker
// killed with SIGKILL mid-flight.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { mintAccessToken } from '../src/auth/jwt.js';
import { encryptSecret } from '../src/hub/crypto.js';
import { sign } from '../src/hub/webhook/signature.js';
import { projectPaths } from '../src/migrate/files.js';
import { push } from '../src/migrate/push.js';
import { TEST_JWT_SECRET, testJwtKey } from './helpers/app.js';
import { APP_SECRET, textChange, webhookBody } from './helpers/meta.js';
import { recordChildOutput } from './helpers/run-log.js';
import { registerSecret } from './helpers/secrets.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const root = path.join(import.meta.dirname, '..');
// Short enough for the test, long enough that a live worker slowed by a loaded machine keeps its rows.
const LEASE_SECONDS = 10;
const WEBHOOK_POSTS = 400;
const SENDS = 240;

const missing = ['initdb', 'pg_ctl', 'postgres'].filter((name) => !fs.existsSync(path.join(PG_BIN, name)));
const skip = missing.length > 0
  ? `PostgreSQL 15 binaries not found in ${PG_BIN} (${missing.join(', ')} missing; apt-get install -y postgresql-15)`
  : false;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Debian's PostgreSQL 15 in a temp folder: as the postgres user when we are root. */
async function startPostgres15(dir: string) {
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot
    ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) }
    : null;
  const asServer = (file: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    // Its own session: no signal meant for the test run reaches the server.
    return new Promise<string>((resolve, reject) => {
      const child = spawn(cmd, argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(file)} exited ${code}:\n${out}`))));
    });
  };
  const data = path.join(dir, 'pg15');
  fs.mkdirSync(data, { mode: 0o700 });
  if (owner) fs.chownSync(data, owner.uid, owner.gid);
  await asServer(path.join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    '-c unix_socket_directories=',
    '-c max_connections=300',
    '-c fsync=off',
    // claim_outbox reads the lease from this setting: short, so a killed worker's rows come back in the test.
    `-c wabase.outbox_lease_seconds=${LEASE_SECONDS}`,
  ].join(' ');
  await asServer(path.join(PG_BIN, 'pg_ctl'), ['start', '-D', data, '-l', path.join(data, 'server.log'), '-w', '-t', '60', '-o', settings]);
  const stop = () => asServer(path.join(PG_BIN, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => '');
  const admin = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('create database wabase');
  await admin.end();
  return { url: `postgresql://postgres@127.0.0.1:${port}/wabase`, stop };
}

interface GraphAttempt {
  text: string;
  status: number;
  at: number;
}

/**
 * A Graph stand-in that records every send by its text. The first attempt of every tenth text
 * answers 500 (retryable), so the retry rule is exercised too; everything else succeeds after a
 * short delay, so sends are in flight when a worker is killed.
 */
async function countingGraph() {
  const attempts: GraphAttempt[] = [];
  let counter = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const text = String((JSON.parse(raw || '{}') as { text?: { body?: string } }).text?.body ?? '');
      const n = Number(/#(\d+)$/.exec(text)?.[1] ?? -1);
      const failFirst = n % 10 === 0 && !attempts.some((attempt) => attempt.text === text);
      const status = failFirst ? 500 : 200;
      attempts.push({ text, status, at: Date.now() });
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status === 200
          ? { messaging_product: 'whatsapp', messages: [{ id: `wamid.so-out-${++counter}` }] }
          : { error: { code: 2, message: 'Service temporarily unavailable' } }));
      }, 15);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Proc {
  child: ChildProcess;
  pid: number;
  output: () => string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
}

function wabase(command: 'serve' | 'worker', env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [path.join(root, 'bin/wabase.js'), command], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordChildOutput(child, `wabase-${command}`);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    pid: child.pid!,
    output: () => out,
    waitFor: async (pattern, timeoutMs = 30_000) => {
      let match: RegExpExecArray | null = null;
      await until(`${command} to print ${pattern}:\n${out}`, () => {
        if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}:\n${out}`);
        match = pattern.exec(out);
        return match !== null;
      }, timeoutMs);
      return match!;
    },
  };
}

describe('scale-out: two APIs and two workers on one PostgreSQL 15', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-scale-'));
  fs.chmodSync(dir, 0o755);
  let database: Awaited<ReturnType<typeof startPostgres15>>;
  let graph: Awaited<ReturnType<typeof countingGraph>>;
  let pool: pg.Pool;

  before(async () => {
    database = await startPostgres15(dir);
    await push(database.url, { migrationsDir: projectPaths().migrations });
    pool = new pg.Pool({ connectionString: database.url, max: 5 });
    graph = await countingGraph();
  });
  after(async () => {
    await pool?.end().catch(() => {});
    await graph?.close();
    await database?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('webhook load and a send burst survive kill -9 of one API and one worker: nothing lost, nothing doubled', async () => {
    const started = Date.now();
    const key = randomBytes(32);
    const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await pool.query<T>(text, values)).rows;

    // One workspace, a member, two WhatsApp numbers and 24 threads spread over them.
    const [user] = await q<{ id: string }>('insert into auth.users (email) values ($1) returning id', ['scale@example.com']);
    const token = await mintAccessToken(testJwtKey, { sub: user!.id, email: 'scale@example.com' });
    for (const [value, kind] of [[token, 'access token'], [key.toString('hex'), 'WABASE_ENCRYPTION_KEY'], [TEST_JWT_SECRET, 'SUPABASE_JWT_SECRET']]) registerSecret(value!, `${kind} (scale-out)`);
    const [ws] = await q<{ id: string }>('insert into public.workspaces (slug, name) values ($1, $1) returning id', ['scale-out']);
    await q('insert into public.workspace_memberships (workspace_id, user_id, role) values ($1, $2, $3)', [ws!.id, user!.id, 'member']);
    const numbers = ['PN-SCALE-1', 'PN-SCALE-2'];
    const connections: string[] = [];
    for (const pnid of numbers) {
      registerSecret(`token-${pnid}`, 'connection access token (scale-out)');
      const [row] = await q<{ id: string }>(
        'insert into wa_phone_numbers (workspace_id, phone_number_id, access_token_enc) values ($1, $2, $3) returning id',
        [ws!.id, pnid, encryptSecret(key, `token-${pnid}`)],
      );
      connections.push(row!.id);
    }
    const threads: string[] = [];
    for (let i = 0; i < 24; i++) {
      const [row] = await q<{ id: string }>(
        'insert into wa_threads (workspace_id, connection_id, phone_number_id, contact_wa_id, customer_window_expires_at) values ($1, $2, $3, $4, now() + interval \'1 day\') returning id',
        [ws!.id, connections[i % 2], numbers[i % 2], `6281${String(i).padStart(6, '0')}`],
      );
      threads.push(row!.id);
    }

    const env = {
      DATABASE_URL: database.url,
      SUPABASE_DB_URL: '',
      WABASE_HOME: path.join(dir, 'home'),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      // At info, as the other servers of a test run: their output goes to the run's log folder.
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      WA_SEND_MODE: 'live',
      META_GRAPH_BASE_URL: graph.url,
      WA_MONITOR: 'false',
      SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
      WABASE_ENCRYPTION_KEY: key.toString('hex'),
      META_APP_SECRET: APP_SECRET,
      SEND_RATE_LIMIT: '100000',
      SEND_PER_CONNECTION_PER_SECOND: '60',
      OUTBOX_MAX_ATTEMPTS: '6',
    };
    const apis = [wabase('serve', env), wabase('serve', env)];
    const workers = [wabase('worker', env), wabase('worker', env)];
    const urls = await Promise.all(apis.map(async (api) => (await api.waitFor(/wabase is running at (http:\/\/\S+) /))[1]!));
    await Promise.all(workers.map((worker) => worker.waitFor(/worker started/)));
    const alive = [true, true];
    let failedOver = 0;

    /**
     * POSTs to API `first`; when that process is gone (connection refused or cut mid-request),
     * the same request goes to the other one, as a load balancer (or Meta's retry) would.
     */
    async function request(first: number, pathname: string, init: { headers: Record<string, string>; body: string }) {
      for (const index of [first, 1 - first]) {
        if (!alive[index] && index === first) continue;
        try {
          const response = await fetch(`${urls[index]}${pathname}`, { method: 'POST', ...init });
          return { status: response.status, body: await response.text(), api: index };
        } catch {
          // The process was killed under this request (or before it): try the other one.
          failedOver++;
        }
      }
      throw new Error(`no API answered ${pathname}`);
    }

    async function inParallel<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
      const results: T[] = new Array<T>(count);
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          results[i] = await job(i);
        }
      }));
      return results;
    }

    // Webhook load: each POST carries one inbound message with its own wamid; kill API 0 a third in.
    const webhookIds = Array.from({ length: WEBHOOK_POSTS }, (_, i) => `wamid.scale.in.${i}`);
    let webhooksDone = 0;
    const webhookLoad = inParallel(WEBHOOK_POSTS, 16, async (i) => {
      const body = JSON.stringify(webhookBody(textChange(numbers[i % 2]!, `6282${String(i % 40).padStart(6, '0')}`, `hello ${i}`, webhookIds[i])));
      const result = await request(i % 2, '/api/webhooks/meta/whatsapp', {
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, APP_SECRET) },
        body,
      });
      webhooksDone++;
      return result;
    });

    // Send burst through both APIs, each with its own idempotency key and text.
    const sends = inParallel(SENDS, 8, (i) =>
      request(i % 2, '/api/meta/whatsapp/send-text', {
        headers: { 'content-type': 'application/json', 'authorization': `Bearer ${token}` },
        body: JSON.stringify({ workspaceId: ws!.id, threadId: threads[i % threads.length], text: `burst #${i}`, idempotencyKey: `scale-${i}` }),
      }));

    await until('a third of the webhook load', () => webhooksDone >= WEBHOOK_POSTS / 3);
    apis[0]!.child.kill('SIGKILL');
    alive[0] = false;
    await until('a third of the send burst at the Graph', () => graph.attempts.length >= SENDS / 3);
    workers[0]!.child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((resolve) => workers[0]!.child.once('exit', resolve));
    // What the killed worker held when it died: only these may be sent again (after the lease).
    const held = new Set((await q<{ id: string; text: string }>(
      `select id, payload->'text'->>'body' as text from outbox_messages where status = 'processing' and locked_by like $1`,
      [`%:${workers[0]!.pid}:%`],
    )).map((row) => row.text));

    const webhookResults = await webhookLoad;
    const sendResults = await sends;
    for (const [i, result] of webhookResults.entries()) assert.equal(result.status, 200, `webhook ${i}: ${result.body}`);
    for (const [i, result] of sendResults.entries()) assert.equal(result.status, 202, `send ${i}: ${result.body}`);

    // Every POST answered 200 is stored exactly once (a retried POST that the killed API had already stored included).
    const stored = await q<{ wa_message_id: string; n: number }>(
      'select wa_message_id, count(*)::int as n from wa_messages where wa_message_id like \'wamid.scale.in.%\' group by 1',
    );
    const storedCount = new Map(stored.map((row) => [row.wa_message_id, row.n]));
    const notOnce = webhookIds.filter((id) => storedCount.get(id) !== 1);
    assert.deepEqual(notOnce, [], `stored other than once: ${notOnce.map((id) => `${id}=${storedCount.get(id) ?? 0}`).join(', ')}`);

    // Every send is one outbox row; wait until all are sent (the killed worker's rows after the lease).
    const outboxIds = new Set(sendResults.map((result) => (JSON.parse(result.body) as { outboxId: string }).outboxId));
    assert.equal(outboxIds.size, SENDS, 'one outbox row per idempotency key, across both APIs');
    await until('every outbox row sent', async () => {
      const [row] = await q<{ n: number }>('select count(*)::int as n from outbox_messages where status <> \'sent\'');
      return row!.n === 0;
    }, 40_000);

    // No row sits in processing past its lease.
    const [stuck] = await q<{ n: number }>(
      `select count(*)::int as n from outbox_messages where status = 'processing' and locked_at < now() - make_interval(secs => ${LEASE_SECONDS})`,
    );
    assert.equal(stuck!.n, 0);

    // At the Graph: each text once, plus one per retryable failure it got; one more only for a row
    // the killed worker held (sent, but killed before it recorded the send).
    const byText = new Map<string, GraphAttempt[]>();
    for (const attempt of graph.attempts) byText.set(attempt.text, [...(byText.get(attempt.text) ?? []), attempt]);
    const wrong: string[] = [];
    let resentAfterKill = 0;
    for (let i = 0; i < SENDS; i++) {
      const text = `burst #${i}`;
      const tries = byText.get(text) ?? [];
      const ok = tries.filter((attempt) => attempt.status === 200).length;
      const failed = tries.length - ok;
      const extra = ok - 1;
      if (ok === 0 || extra > (held.has(text) ? 1 : 0) || failed > (i % 10 === 0 ? 1 : 0)) {
        wrong.push(`${text}: ${tries.map((attempt) => `${attempt.status}@${attempt.at - killedAt}ms`).join(',')}${held.has(text) ? ' (held by the killed worker)' : ''}`);
      }
      if (extra > 0) resentAfterKill++;
    }
    assert.deepEqual(wrong, [], 'sends at the Graph other than once per retry rule');
    assert.equal(byText.size, SENDS, `texts at the Graph: ${[...byText.keys()].filter((text) => !/^burst #\d+$/.test(text)).join(', ')}`);

    // The survivor picked up the work: it sent everything after the kill, and it is woken by
    // NOTIFY, not its 1 s poll: a lone send after the kill reaches the Graph well within the poll.
    const survivor = workers[1]!;
    const [listening] = await q<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where application_name = \'wabase outbox listener\' and query ilike \'listen %\'',
    );
    assert.equal(listening!.n, 1, 'the surviving worker holds the LISTEN connection, and only it');
    const afterKill = graph.attempts.filter((attempt) => attempt.at > killedAt + 200).length;
    assert.ok(afterKill > 0, 'sends reached the Graph after the worker was killed');
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(300);
      const before = graph.attempts.length;
      const sentAt = Date.now();
      const result = await request(1, '/api/meta/whatsapp/send-text', {
        headers: { 'content-type': 'application/json', 'authorization': `Bearer ${token}` },
        body: JSON.stringify({ workspaceId: ws!.id, threadId: threads[1], text: `after kill #${i + 1}`, idempotencyKey: `scale-after-${i}` }),
      });
      assert.equal(result.status, 202, result.body);
      await until('the lone send at the Graph', () => graph.attempts.length > before, 5000);
      latencies.push(graph.attempts[before]!.at - sentAt);
    }
    assert.ok(Math.max(...latencies) < 500, `send-to-Graph latencies ${latencies.join(', ')} ms: woken by NOTIFY, not the 1 s poll`);
    assert.equal(survivor.child.exitCode, null, survivor.output());
    assert.equal(apis[1]!.child.exitCode, null, apis[1]!.output());

    const movedWebhooks = webhookResults.filter((result, i) => result.api !== i % 2).length;
    const movedSends = sendResults.filter((result, i) => result.api !== i % 2).length;
    console.log(
      `# scale-out: ${WEBHOOK_POSTS} webhook POSTs, ${SENDS} sends; API ${apis[0]!.pid} killed after ${Math.round(WEBHOOK_POSTS / 3)} POSTs ` +
      `(${movedWebhooks} POSTs and ${movedSends} sends answered by the other API, ${failedOver} of them cut mid-request), ` +
      `worker ${workers[0]!.pid} killed holding ${held.size} rows, ${resentAfterKill} sent again after the lease; ` +
      `lone-send latencies ${latencies.join('/')} ms; ${Math.round((Date.now() - started) / 1000)} s`,
    );
  });
});
