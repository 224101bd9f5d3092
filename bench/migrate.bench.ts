/**
 * Issue 3 targets: (a) 1,000 small migrations on an empty database, wabase vs one psql session
 * running the same files each in BEGIN … COMMIT with the history insert (the practical limit),
 * target ≤ 1.3× psql; (b) `wabase db push` with nothing pending, whole process incl. verify, < 0.5 s.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { push } from '../src/migrate/push.js';
import { root, withBenchServer } from './harness.js';
import { fmt, record, spread, stats, time } from './lib.js';

const FILES = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** The same files twice: Supabase layout, and dbmate's (which needs its up/down markers). */
function generate(dir: string, dbmateDir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(dbmateDir, { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const version = String(20300101000000 + i);
    const sql =
      `create table if not exists public.bench_${i} (id bigint primary key, name text not null, created_at timestamptz not null default now());\n` +
      `create index if not exists bench_${i}_name_idx on public.bench_${i} (name);\n` +
      `alter table public.bench_${i} enable row level security;\n`;
    fs.writeFileSync(path.join(dir, `${version}_bench_${i}.sql`), sql);
    fs.writeFileSync(path.join(dbmateDir, `${version}_bench_${i}.sql`), `-- migrate:up\n${sql}\n-- migrate:down\n`);
  }
}

/** dbmate and the Supabase CLI, installed on demand into .wabase/bench-peers (not project deps). */
function peers(): { dbmate: string | null; supabase: string | null } {
  const prefix = path.join(root, '.wabase', 'bench-peers');
  const bin = (name: string) => path.join(prefix, 'node_modules', '.bin', name);
  if (!fs.existsSync(bin('dbmate')) || !fs.existsSync(bin('supabase'))) {
    fs.mkdirSync(prefix, { recursive: true });
    spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', 'dbmate@2', 'supabase@3'], { stdio: 'ignore' });
  }
  const works = (file: string) => fs.existsSync(file) && spawnSync(file, ['--version'], { stdio: 'ignore' }).status === 0;
  return { dbmate: works(bin('dbmate')) ? bin('dbmate') : null, supabase: works(bin('supabase')) ? bin('supabase') : null };
}

function runOrThrow(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${path.basename(file)} failed: ${result.stderr.slice(-2000)}`);
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

export function run(): Promise<void> {
  return withBenchServer({ port: 54900, database: 'postgres', migrate: false }, async (server, work) => {
    const adminUrl = server.url('postgres');
    const project = path.join(work, 'project');
    const dir = path.join(project, 'supabase', 'migrations');
    const dbmateDir = path.join(work, 'dbmate');
    generate(dir, dbmateDir);
    const peer = peers();
    const script = path.join(work, 'psql.sql');
    psqlScript(dir, script);
    const psql = spawnSync('which', ['psql'], { encoding: 'utf8' }).stdout.trim();

    const runners: Record<string, ((url: string) => Promise<unknown>) | null> = {
      psql: psql ? async (url) => runOrThrow(psql, ['-q', '-X', '-f', script, url]) : null,
      wabase: (url) => push(url, { migrationsDir: dir }),
      dbmate: peer.dbmate
        ? async (url) => runOrThrow(peer.dbmate!, ['--url', `${url}?sslmode=disable`, '--migrations-dir', dbmateDir, '--no-dump-schema', 'up'])
        : null,
      supabase: peer.supabase
        ? async (url) =>
          runOrThrow(peer.supabase!, ['db', 'push', '--db-url', `${url}?sslmode=disable`, '--yes'], {
            cwd: project,
            env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1' },
          })
        : null,
    };
    const names = Object.keys(runners).filter((name) => runners[name]);
    const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so no runner always goes first (or last) on a noisy disk.
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      for (const name of order) {
        samples[name]!.push(await withFreshDb(adminUrl, `bench_${name}`, (url) => time(() => runners[name]!(url))));
      }
    }
    const wabaseTimes = samples.wabase!;
    const psqlTimes = samples.psql ?? [];

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
      for (const [name, label] of [['dbmate', 'dbmate 2 (`up`)'], ['supabase', 'Supabase CLI 3 (`db push --db-url`)']] as const) {
        if (samples[name]) {
          const s = stats(samples[name]);
          lines.push(`| ${label} | ${spread(s)} | ${(s.median / p.median).toFixed(2)} (wabase ${(w.median / s.median).toFixed(2)}× its time) |`);
        } else lines.push(`| ${label} | not run: could not be installed | — |`);
      }
    } else {
      lines.push(`| wabase push | ${spread(w)} | psql not found |`);
    }
    const n = stats(noop);
    lines.push('', '### `wabase db push` with nothing pending (whole process, incl. verify)', '',
      `${spread(n)} — target < 0.5 s: ${n.median < 500 ? 'met' : 'NOT met'}`);
    record('Migration toolchain', lines);
    console.log(lines.join('\n'));
    console.log(`\nwabase ${fmt(w.median)} per ${FILES} migrations`);
  });
}
