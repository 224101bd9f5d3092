import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { createPool, type Pool } from '../../src/db/pool.js';

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests with npm test`);
  return value;
}

export function adminUrl(): string {
  return env('WABASE_TEST_ADMIN_URL');
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for this test file: a copy of the migrated template (or empty with
 * `{ empty: true }`), dropped when the file's tests end.
 */
export async function freshDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? 'template0' : env('WABASE_TEST_TEMPLATE');
  await admin((client) => client.query(`create database ${name} template ${template}`));
  const url = urlFor(name);
  const pool = createPool(url, { max: 10, application: 'wabase test' });
  after(async () => {
    await pool.end().catch(() => {});
    await admin((client) => client.query(`drop database if exists ${name} with (force)`)).catch(() => {});
  });
  return { name, url, pool };
}
