import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decryptSecret } from '../../src/hub/crypto.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';
import { recordChildOutput } from '../helpers/run-log.js';
import { registerSecret } from '../helpers/secrets.js';
import { one } from '../helpers/sql.js';

const KEY_HEX = 'ab'.repeat(32);
const TSX = import.meta.resolve('tsx');

describe('wabase workspace add / connection add', async () => {
  const db = await freshDatabase();
  const env = { DATABASE_URL: db.url, WABASE_ENCRYPTION_KEY: KEY_HEX };
  await db.pool.query('insert into auth.users (email) values (\'boss@setup.example\')');

  it('creates a workspace with an owner, idempotently', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await runCli(['workspace', 'add', '--slug', 'toko-maju', '--name', 'Toko Maju', '--owner', 'boss@setup.example', '--json'], env);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(JSON.parse(res.stdout).created, i === 0);
    }
    const member = await one(db.pool, `select m.role from workspace_memberships m join workspaces w on w.id = m.workspace_id
      join auth.users u on u.id = m.user_id where w.slug = 'toko-maju' and u.email = 'boss@setup.example'`);
    assert.equal(member.role, 'owner');
  });

  it('registers a connection with its token encrypted, read from stdin; the token is never printed', async () => {
    const cli = path.join(import.meta.dirname, '../../src/cli/main.ts');
    const child = spawn(process.execPath, ['--import', TSX, cli, 'connection', 'add', '--workspace', 'toko-maju', '--phone-number-id', '106540352242922', '--token', '-'],
      { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    recordChildOutput(child, 'cli-connection-add-stdin');
    registerSecret('EAAG-super-secret-token', 'connection access token (stdin)');
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stdin.end('EAAG-super-secret-token\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, out);
    assert.doesNotMatch(out, /super-secret/);
    const row = await one(db.pool, 'select access_token_enc, status from wa_phone_numbers where phone_number_id = \'106540352242922\'');
    assert.doesNotMatch(String(row.access_token_enc), /super-secret/);
    assert.equal(decryptSecret(Buffer.from(KEY_HEX, 'hex'), String(row.access_token_enc)), 'EAAG-super-secret-token');
    assert.equal(row.status, 'active');
  });

  it('refuses a number that belongs to another workspace, and bad input', async () => {
    registerSecret('token-token-token', 'connection access token (argument)');
    await runCli(['workspace', 'add', '--slug', 'other-shop'], env);
    const taken = await runCli(['connection', 'add', '--workspace', 'other-shop', '--phone-number-id', '106540352242922', '--token', 'token-token-token'], env);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /belongs to another workspace/);
    const bad = await runCli(['connection', 'add', '--workspace', 'toko-maju', '--phone-number-id', 'abc', '--token', 'token-token-token'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--phone-number-id/);
  });
});
