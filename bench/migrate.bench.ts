/**
 * Issue 3 targets: (a) 1,000 small migrations on an empty database, wabase vs one psql session
 * running the same files each in BEGIN … COMMIT with the history insert (the practical limit),
 * target ≤ 1.3× psql; (b) `wabase db push` with nothing pending, whole process incl. verify, < 0.5 s.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded/server.js';
import { push } from '../src/migrate/push.js';
import { fmt, record, spread, stats, time } from './lib.js';

const FILES = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const root = path.join(import.meta.dirname, '..');

function generate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const version = String(20300101000000 + i);
    fs.writeFileSync(
      path.join(dir, `${version}_bench_${i}.sql`),
      `create table if not exists public.bench_${i} (id bigint primary key, name text not null, created_at timestamptz not null default now());\n` +
      `create index if not exists bench_${i}_name_idx on public.bench_${i} (name);\n` +
      `alter table public.bench_${i} enable row level security;\n`,
    );
  }
}

/** One psql script: every file in its own transaction with its history row. */
function psqlScript(dir: string, out: string): void {
  const lines = [
    '\\set ON_ERROR_STOP 1',
    'create schema if not exists supabase_migrations;',
    'create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);',
  ];
  for (const name of fs.readdirSync(dir).sort()) {
    const [, version, label] = /^(\d+)_(.*)\.sql$/.exec(name)!;
    lines.push('begin;', `\\i ${path.join(dir, name)}`,
      `insert into supabase_migrations.schema_migrations (version, name, statements) values ('${version}', '${label}', '{}');`, 'commit;');
  }
  fs.writeFileSync(out, lines.join('\n'));
}

async function withFreshDb<T>(adminUrl: string, name: string, fn: (url: string) => Promise<T>): Promise<T> {
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return fn(url.toString());
}

export async function run(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-bench-'));
  fs.chmodSync(work, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(work, 'pg'), port: 54900, password: 'bench', database: 'postgres' });
  try {
    const adminUrl = server.url('postgres');
    const dir = path.join(work, 'migrations');
    generate(dir);
    const script = path.join(work, 'psql.sql');
    psqlScript(dir, script);
    const psql = spawnSync('which', ['psql'], { encoding: 'utf8' }).stdout.trim();

    const wabaseTimes: number[] = [];
    const psqlTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither side always runs on a warmer cache.
      const order = round % 2 ? ['wabase', 'psql'] : ['psql', 'wabase'];
      for (const who of order) {
        if (who === 'psql' && psql) {
          psqlTimes.push(await withFreshDb(adminUrl, 'bench_psql', async (url) =>
            time(async () => {
              const result = spawnSync(psql, ['-q', '-X', '-f', script, url], { encoding: 'utf8' });
              if (result.status !== 0) throw new Error(result.stderr);
            })));
        } else if (who === 'wabase') {
          wabaseTimes.push(await withFreshDb(adminUrl, 'bench_wabase', (url) => time(() => push(url, { migrationsDir: dir }))));
        }
      }
    }

    // (b) nothing pending: the whole CLI process, including the post-push verify, run the way
    // users run it (the bundle npm install builds, made fresh here).
    spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    const noop: number[] = [];
    await withFreshDb(adminUrl, 'bench_noop', async (url) => {
      await push(url, { migrationsDir: path.join(root, 'supabase', 'migrations') });
      for (let i = 0; i < 5; i++) {
        noop.push(await time(async () => {
          const result = spawnSync(process.execPath, [path.join(root, 'bin', 'wabase.js'), 'db', 'push', '--skip-backup'], {
            cwd: root,
            env: { ...process.env, DATABASE_URL: url },
            encoding: 'utf8',
          });
          if (result.status !== 0) throw new Error(result.stderr);
        }));
      }
    });

    const w = stats(wabaseTimes);
    const lines = [
      `### ${FILES} small migrations on an empty database (embedded PostgreSQL 17)`,
      '',
      '| runner | time | ratio to psql |',
      '|---|---|---|',
    ];
    if (psqlTimes.length) {
      const p = stats(psqlTimes);
      lines.push(`| psql, one session, BEGIN/COMMIT per file (the limit) | ${spread(p)} | 1.00 |`);
      lines.push(`| wabase push (library, incl. parsing) | ${spread(w)} | ${(w.median / p.median).toFixed(2)} (target ≤ 1.30) |`);
    } else {
      lines.push(`| wabase push | ${spread(w)} | psql not found |`);
    }
    lines.push('| dbmate, Supabase CLI | not run: neither is installed by the project | — |');
    const n = stats(noop);
    lines.push('', '### `wabase db push` with nothing pending (whole process, incl. verify)', '',
      `${spread(n)} — target < 0.5 s: ${n.median < 500 ? 'met' : 'NOT met'}`);
    record('Migration toolchain', lines);
    console.log(lines.join('\n'));
    console.log(`\nwabase ${fmt(w.median)} per ${FILES} migrations`);
  } finally {
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
