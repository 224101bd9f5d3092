/**
 * `npm test`: brings up a real PostgreSQL (embedded, or TEST_DATABASE_URL), applies the migrations
 * once to a template database, then runs every test file with node's test runner. Each file copies
 * the template into a fresh database of its own (see helpers/db.ts), so files run in parallel.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded/server.js';
import { localSecrets } from '../src/local-secrets.js';
import { projectPaths } from '../src/migrate/files.js';
import { push } from '../src/migrate/push.js';
import { describeLeak, grepRunLogs } from './helpers/secret-grep.js';

const root = process.cwd();
const paths = projectPaths(root);

function testFiles(args: string[]): string[] {
  if (args.length > 0) return args;
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) found.push(path.relative(root, full));
    }
  };
  walk(path.join(root, 'test'));
  return found.sort();
}

/** Name of the template for the current migration files: rebuilt only when they change. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(paths.migrations).sort()) {
    hash.update(name).update(fs.readFileSync(path.join(paths.migrations, name)));
  }
  // The history rows the template holds are the splitter's output too.
  hash.update(fs.readFileSync(path.join(root, 'src', 'migrate', 'split.ts')));
  return `wabase_tpl_${hash.digest('hex').slice(0, 12)}`;
}

async function ensureTemplate(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return;
    const building = `${name}_build_${process.pid}`;
    await admin.query(`drop database if exists ${building}`);
    await admin.query(`create database ${building}`);
    const url = new URL(adminUrl);
    url.pathname = `/${building}`;
    const started = performance.now();
    await push(url.toString(), { migrationsDir: paths.migrations });
    // Renaming last makes the template appear whole or not at all.
    await admin.query(`alter database ${building} rename to ${name}`);
    console.log(`# template ${name} built in ${Math.round(performance.now() - started)} ms`);
    const old = await admin.query<{ datname: string }>(
      'select datname from pg_database where datname like \'wabase_tpl_%\' and datname <> $1',
      [name],
    );
    for (const row of old.rows)
      await admin.query(`drop database if exists ${admin.escapeIdentifier(row.datname)}`);
  } finally {
    await admin.end();
  }
}

function newestFile(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(target).map((name) => newestFile(path.join(target, name))));
}

/** The browser tests run against web/dist: rebuild it when a web source is newer (an edit since npm install). */
async function ensureWebBuild(): Promise<void> {
  const web = path.join(root, 'web');
  const index = path.join(web, 'dist', 'index.html');
  const sources = Math.max(...['src', 'public', 'index.html', 'vite.config.ts'].map((name) => newestFile(path.join(web, name))));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  const started = performance.now();
  const { buildWeb } = await import('../scripts/build-web.mjs');
  await buildWeb(root);
  console.log(`# web app built in ${Math.round(performance.now() - started)} ms`);
}

/**
 * A fresh log folder for this run under .wabase/test-logs (servers log there at info; see
 * helpers/run-log.ts); the folders of older runs are removed but the newest few.
 */
function runLogDir(): string {
  const parent = path.join(root, '.wabase', 'test-logs');
  fs.mkdirSync(parent, { recursive: true });
  const old = fs.readdirSync(parent).filter((name) => name.startsWith('run-')).sort();
  for (const name of old.slice(0, Math.max(0, old.length - 4))) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  const dir = path.join(parent, `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  fs.mkdirSync(dir);
  return dir;
}

/** The final step: no log line of the run may hold a secret a test registered. */
function checkLogsForSecrets(dir: string): boolean {
  const started = performance.now();
  const result = grepRunLogs(dir);
  const took = Math.round(performance.now() - started);
  const size = `${(result.bytes / 1e6).toFixed(1)} MB`;
  if (result.leaks.length === 0) {
    console.log(`# log grep: ${result.secrets} secrets, none in ${result.logFiles} log files (${size}, ${took} ms; ${path.relative(root, dir)})`);
    return true;
  }
  console.error(`✖ log grep: ${result.leaks.length} secret(s) found in the run's server logs (${path.relative(root, dir)}):`);
  for (const leak of result.leaks) console.error(`  ${describeLeak(leak)}`);
  return false;
}

async function main(): Promise<number> {
  const files = testFiles(process.argv.slice(2));
  await ensureWebBuild();
  const external = process.env.TEST_DATABASE_URL;
  const home = path.join(root, '.wabase');
  const server = external
    ? null
    : await startEmbeddedPostgres({
        // WABASE_TEST_PG_PORT gives a run its own server (and data folder), so two runs on one
        // machine never share one that the first to finish would stop under the other.
        dataDir: path.join(home, process.env.WABASE_TEST_PG_PORT ? `test-pg-${process.env.WABASE_TEST_PG_PORT}` : 'test-pg'),
        port: Number(process.env.WABASE_TEST_PG_PORT ?? 54400),
        password: localSecrets(home).pgPassword,
        database: 'postgres',
      });
  const adminUrl = external ?? server!.url('postgres');
  try {
    const template = templateName();
    await ensureTemplate(adminUrl, template);
    const concurrency = Math.max(2, os.availableParallelism());
    const logDir = runLogDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          WABASE_TEST_ADMIN_URL: adminUrl,
          WABASE_TEST_TEMPLATE: template,
          // Processes a test starts without saying otherwise stay quiet; the servers tests run log
          // to WABASE_TEST_LOG_DIR at WABASE_TEST_LOG_LEVEL instead.
          LOG_LEVEL: 'silent',
          WABASE_TEST_LOG_DIR: logDir,
          WABASE_TEST_LOG_LEVEL: process.env.WABASE_TEST_LOG_LEVEL ?? 'info',
        },
      },
    );
    const code = await new Promise<number>((resolve) => child.on('close', (exitCode) => resolve(exitCode ?? 1)));
    const clean = checkLogsForSecrets(logDir);
    return code === 0 && !clean ? 1 : code;
  } finally {
    await server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
