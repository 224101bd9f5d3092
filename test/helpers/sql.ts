import type pg from 'pg';
import type { Pool } from '../../src/db/pool.js';
import { withUser } from '../../src/db/with-user.js';

/** First row of a query. */
export async function one<T extends pg.QueryResultRow = Record<string, unknown>>(
  db: Pick<Pool, 'query'>,
  text: string,
  params: unknown[] = [],
): Promise<T> {
  return (await db.query<T>(text, params)).rows[0]!;
}

/** Runs `text` as the given user under RLS (role authenticated, claims set). */
export async function asUser<T extends pg.QueryResultRow = Record<string, unknown>>(
  pool: Pool,
  userId: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return withUser(pool, { sub: userId, role: 'authenticated' }, async (client) => (await client.query<T>(text, params)).rows);
}

/** Runs `text` as anon, as PostgREST would for a request without a user. */
export async function asAnon(pool: Pool, text: string): Promise<pg.QueryResultRow[]> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('request.jwt.claims', '{"role":"anon"}', true), set_config('role', 'anon', true)`);
    return (await client.query(text)).rows;
  } finally {
    await client.query('rollback');
    client.release();
  }
}

/** A workspace, optionally with members; returns its id. */
export async function createWorkspace(pool: Pool, slug: string, members: string[] = []): Promise<string> {
  const { id } = await one<{ id: string }>(pool, 'insert into public.workspaces (slug, name) values ($1, $1) returning id', [slug]);
  for (const userId of members) {
    await pool.query('insert into public.workspace_memberships (workspace_id, user_id, role) values ($1, $2, $3)', [
      id,
      userId,
      'member',
    ]);
  }
  return id;
}

/** An auth.users row; returns its id. */
export async function createUser(pool: Pool, email: string): Promise<string> {
  return (await one<{ id: string }>(pool, 'insert into auth.users (email) values ($1) returning id', [email])).id;
}
