import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyAccessToken } from '../src/auth/jwt.js';
import { TEST_JWT_SECRET, testJwtKey } from './helpers/app.js';
import { runCli } from './helpers/cli.js';
import { freshDatabase } from './helpers/db.js';

describe('wabase CLI', async () => {
  const db = await freshDatabase();
  const env = { DATABASE_URL: db.url, SUPABASE_JWT_SECRET: TEST_JWT_SECRET };

  it('prints usage with --help and fails on unknown commands', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /db push/);
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command: frobnicate/);
  });

  it('auth token --create mints a verifiable token for a new user, then reuses the user', async () => {
    const first = await runCli(['auth', 'token', '--email', 'Bob@Example.com', '--create', '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    const minted = JSON.parse(first.stdout);
    const claims = await verifyAccessToken(minted.token, testJwtKey);
    assert.equal(claims.sub, minted.userId);
    assert.equal(claims.email, 'bob@example.com');
    const second = await runCli(['auth', 'token', '--email', 'bob@example.com', '--json'], env);
    assert.equal(JSON.parse(second.stdout).userId, minted.userId);
    const users = await db.pool.query(
      'select count(*)::int as n from auth.users where lower(email) = \'bob@example.com\'',
    );
    assert.equal(users.rows[0].n, 1);
  });

  it('auth token without --create fails for an unknown email, with exit code 1', async () => {
    const result = await runCli(['auth', 'token', '--email', 'nobody@example.com'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no user with email nobody@example.com; add --create/);
  });

  it('fails at start with a message naming a bad variable', async () => {
    const result = await runCli(['serve'], { DATABASE_URL: 'not a url' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /DATABASE_URL: expected a URL like postgresql:\/\//);
  });

  it('serve and worker refuse a database whose schema is behind', async () => {
    const empty = await freshDatabase({ empty: true });
    for (const command of ['serve', 'worker']) {
      const result = await runCli([command], { DATABASE_URL: empty.url });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /database schema is behind: run wabase db push/);
    }
  });

  it('db status lists every migration and whether the schema matches the lock', async () => {
    const current = await runCli(['db', 'status', '--json'], env);
    assert.equal(current.code, 0, current.stderr);
    const body = JSON.parse(current.stdout);
    assert.ok(body.migrations.length > 10);
    assert.ok(body.migrations.every((m: { state: string }) => m.state === 'applied'));
    assert.equal(body.schemaMatchesLock, true);
    const empty = await freshDatabase({ empty: true });
    const behind = await runCli(['db', 'status'], { DATABASE_URL: empty.url });
    assert.equal(behind.code, 1);
    assert.match(behind.stdout, /^pending\s+20260101000000_supabase_compat$/m);
    assert.match(behind.stdout, /schema: \d+ difference\(s\) from the lock/);
  });
});
