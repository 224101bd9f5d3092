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
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          WABASE_TEST_ADMIN_URL: adminUrl,
          WABASE_TEST_TEMPLATE: template,
          LOG_LEVEL: 'silent',
        },
      },
    );
    return await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
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
