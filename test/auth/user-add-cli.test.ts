import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TEST_JWT_SECRET } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';
import { localAuthApp } from '../helpers/local-auth.js';
import { one } from '../helpers/sql.js';

describe('wabase user add', async () => {
  const db = await freshDatabase();
  const auth = await localAuthApp(db);
  const env = { DATABASE_URL: db.url, SUPABASE_JWT_SECRET: TEST_JWT_SECRET, WABASE_HOME: auth.home };
  const password = 'cli-password-not-to-be-printed';

  it('creates a user with a password from stdin; run again it updates, never duplicates; the password is never printed', async () => {
    for (const run of [0, 1]) {
      const res = await runCli(['user', 'add', '--email', 'Erin@Cli.Example', '--password-stdin', '--json'], env, undefined, `${password}\n`);
      assert.equal(res.code, 0, res.stderr);
      const out = JSON.parse(res.stdout) as { created: boolean; passwordSet: boolean; admin: boolean; email: string };
      assert.deepEqual([out.email, out.created, out.passwordSet, out.admin], ['erin@cli.example', run === 0, true, false]);
      assert.doesNotMatch(res.stdout + res.stderr, new RegExp(password));
    }
    assert.equal((await one(db.pool, 'select count(*)::int as n from auth.users where lower(email) = \'erin@cli.example\'')).n, 1);
    const { error } = await auth.client().signInWithPassword({ email: 'erin@cli.example', password });
    assert.equal(error, null, 'the trailing newline of stdin is not part of the password');
  });

  it('--admin makes a platform admin and adds the allowlist entry; the running server lets them in without a restart', async () => {
    const res = await runCli(['user', 'add', '--email', 'frank@cli.example', '--password-stdin', '--admin'], env, undefined, 'frank-password-123');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /✓ frank@cli\.example \(user [0-9a-f-]{36}\): created, password set, platform admin/);
    assert.doesNotMatch(res.stdout, /OPS_ADMIN_EMAILS/);
    const file = JSON.parse(fs.readFileSync(path.join(auth.home, 'ops-admins.json'), 'utf8')) as { emails: string[] };
    assert.ok(file.emails.includes('frank@cli.example'));
    const again = await runCli(['user', 'add', '--email', 'frank@cli.example', '--admin'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /updated, password unchanged, platform admin/);
    assert.equal((await one(db.pool, 'select count(*)::int as n from platform_admins where email = \'frank@cli.example\'')).n, 1);
    const { data } = await auth.client().signInWithPassword({ email: 'frank@cli.example', password: 'frank-password-123' });
    const ops = await fetch(`${auth.origin}/api/ops/workspaces`, { headers: { authorization: `Bearer ${data.session!.access_token}` } });
    assert.equal(ops.status, 200);
  });

  it('refuses a weak password or a bad email, touching nothing', async () => {
    const weak = await runCli(['user', 'add', '--email', 'gina@cli.example', '--password-stdin'], env, undefined, 'short\n');
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /Password should be at least 8 characters/);
    const bad = await runCli(['user', 'add', '--email', 'nope'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--email: expected an email address/);
    assert.equal((await one(db.pool, 'select count(*)::int as n from auth.users where email = \'gina@cli.example\'')).n, 0);
  });
});
