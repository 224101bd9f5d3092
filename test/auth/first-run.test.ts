import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { firstRunNotice } from '../../src/auth/first-run.js';
import { parseConfig } from '../../src/config.js';
import { freshDatabase } from '../helpers/db.js';
import { localAuthApp, passwordUser } from '../helpers/local-auth.js';
import { one } from '../helpers/sql.js';
import { tempDir } from '../helpers/tmp.js';

describe('first run: the one-time setup link', async () => {
  const db = await freshDatabase();
  const auth = await localAuthApp(db);
  const post = (url: string, body: unknown) =>
    fetch(`${auth.origin}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const tokenOf = (line: string) => /\/setup#token=([A-Za-z0-9_-]+) /.exec(line)![1]!;
  const invalid = { error: { code: 'setup_link_invalid', message: 'This setup link is invalid or has expired' } };

  it('an empty deployment gets one line with a link valid for an hour; a newer link ends the older one', async () => {
    const first = (await firstRunNotice(db.pool, auth.ctx.config, auth.origin))!;
    assert.match(first, new RegExp(`^First run: open ${auth.origin}/setup#token=[A-Za-z0-9_-]{43} within 1 hour`));
    const second = (await firstRunNotice(db.pool, auth.ctx.config, auth.origin))!;
    assert.deepEqual(await (await post('/api/setup/first-run/check', { token: tokenOf(first) })).json(), invalid);
    const check = await post('/api/setup/first-run/check', { token: tokenOf(second) });
    assert.equal(check.status, 200);
    const body = (await check.json()) as { valid: boolean; expiresAt: string };
    assert.equal(body.valid, true);
    assert.ok(Math.abs(Date.parse(body.expiresAt) - Date.now() - 3600_000) < 60_000);
    const stored = await one(db.pool, `select count(*) filter (where token_hash = $1)::int as plain,
      count(*) filter (where token_hash = encode(sha256(convert_to($1, 'utf8')), 'hex'))::int as hashed from auth_setup_links`, [tokenOf(second)]);
    assert.deepEqual(stored, { plain: 0, hashed: 1 }, 'only the hash is stored');
  });

  it('completing it makes the first platform admin, honoured by the ops console without a restart; the link is then used up', async () => {
    const token = tokenOf((await firstRunNotice(db.pool, auth.ctx.config, auth.origin))!);
    assert.equal((await post('/api/setup/first-run', { token, email: 'root@first.example', password: 'short' })).status, 400);
    assert.equal((await post('/api/setup/first-run', { token, email: 'not-an-email', password: 'long enough password' })).status, 400);
    const done = await post('/api/setup/first-run', { token, email: ' Root@First.Example ', password: 'first admin password' });
    assert.equal(done.status, 201);
    const { userId, email } = (await done.json()) as { userId: string; email: string };
    assert.equal(email, 'root@first.example');
    const user = await one(db.pool, 'select encrypted_password, email_confirmed_at, aud, role from auth.users where id = $1', [userId]);
    assert.match(user.encrypted_password as string, /^\$2[aby]\$10\$/);
    assert.ok(user.email_confirmed_at);
    assert.deepEqual([user.aud, user.role], ['authenticated', 'authenticated']);
    assert.equal((await one(db.pool, 'select count(*)::int as n from platform_admins where user_id = $1', [userId])).n, 1);
    const file = JSON.parse(fs.readFileSync(path.join(auth.home, 'ops-admins.json'), 'utf8')) as { emails: string[] };
    assert.deepEqual(file.emails, ['root@first.example']);

    const { data, error } = await auth.client().signInWithPassword({ email: 'root@first.example', password: 'first admin password' });
    assert.equal(error, null);
    const ops = await fetch(`${auth.origin}/api/ops/workspaces`, { headers: { authorization: `Bearer ${data.session!.access_token}` } });
    assert.equal(ops.status, 200, 'the allowlist file is read without a restart');

    const again = await post('/api/setup/first-run', { token, email: 'intruder@first.example', password: 'another password' });
    assert.equal(again.status, 404);
    assert.deepEqual(await again.json(), invalid);
    assert.equal((await post('/api/setup/first-run/check', { token })).status, 404);
    assert.equal(await firstRunNotice(db.pool, auth.ctx.config, auth.origin), null, 'no link once an admin exists');
  });

  it('a link printed before an admin appeared (say wabase user add --admin) can neither add another nor reset a password', async () => {
    const fresh = await freshDatabase();
    const other = await localAuthApp(fresh);
    const token = tokenOf((await firstRunNotice(fresh.pool, other.ctx.config, other.origin))!);
    const existing = await passwordUser(fresh, 'boss@first.example', 'the boss password');
    await fresh.pool.query('insert into platform_admins (user_id, email) values ($1, \'boss@first.example\')', [existing]);
    const check = await fetch(`${other.origin}/api/setup/first-run/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    assert.equal(check.status, 404);
    const takeover = await fetch(`${other.origin}/api/setup/first-run`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email: 'boss@first.example', password: 'attacker password' }),
    });
    assert.equal(takeover.status, 404);
    assert.equal((await other.client().signInWithPassword({ email: 'boss@first.example', password: 'the boss password' })).error, null, 'the password is unchanged');
  });

  it('an expired link is refused', async () => {
    const token = 'expired-token-expired-token-expired-token-0';
    await db.pool.query('insert into auth_setup_links (token_hash, expires_at) values (encode(sha256(convert_to($1, \'utf8\')), \'hex\'), now() - interval \'1 second\')', [token]);
    assert.deepEqual(await (await post('/api/setup/first-run/check', { token })).json(), invalid);
    assert.equal((await post('/api/setup/first-run', { token, email: 'late@first.example', password: 'long enough password' })).status, 404);
    assert.equal((await post('/api/setup/first-run/check', {})).status, 400);
  });

  it('prints no link when Supabase Auth signs users in', async () => {
    const empty = await freshDatabase();
    const config = parseConfig({ DATABASE_URL: empty.url, WABASE_HOME: tempDir(), SUPABASE_URL: 'https://abc.supabase.co', SUPABASE_ANON_KEY: 'anon-key-of-the-project-0123456789' });
    assert.equal(await firstRunNotice(empty.pool, config, 'http://127.0.0.1:3000'), null);
  });

  it('with OPS_ADMIN_EMAILS set, the allowlist file is neither written nor read', async () => {
    const other = await freshDatabase();
    const app = await localAuthApp(other, { OPS_ADMIN_EMAILS: 'someone-else@first.example' });
    const token = tokenOf((await firstRunNotice(other.pool, app.ctx.config, app.origin))!);
    const res = await fetch(`${app.origin}/api/setup/first-run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: 'root@first.example', password: 'first admin password' }),
    });
    assert.equal(res.status, 201);
    assert.equal(fs.existsSync(path.join(app.home, 'ops-admins.json')), false);
    assert.deepEqual(app.ctx.config.opsAdminEmails, ['someone-else@first.example']);
  });
});
