// Issue 16, "no secret in a log": the final step of `npm test` greps every server log of the run for
// every secret the tests registered. This file checks the grep itself and that the run feeds it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { RUN_LOG_DIR, RUN_LOG_LEVEL, serverLogDestination, testFile } from '../helpers/run-log.js';
import { describeLeak, grepRunLogs, secretPrefix } from '../helpers/secret-grep.js';
import { readSecrets, SECRETS_FILE } from '../helpers/secrets.js';
import { tempDir } from '../helpers/tmp.js';

describe('the run\'s log grep', () => {
  it('finds a secret as written, JSON-escaped or percent-encoded, names file and line, and shows only a prefix', () => {
    const dir = tempDir('wabase-grep-');
    const secrets = { plain: 'plain-secret-0123456789', quoted: 'has"quote\\and-backslash', encoded: 'a/b+c=d&e?f secret', absent: 'never-logged-secret-42' };
    fs.writeFileSync(path.join(dir, SECRETS_FILE), Object.entries(secrets).map(([kind, value]) => `${JSON.stringify({ kind, value, file: 'test/x.test.ts' })}\n`).join(''));
    fs.writeFileSync(path.join(dir, 'a.server.log'), `{"msg":"fine"}\n{"msg":"oops ${secrets.plain}"}\n`);
    fs.writeFileSync(path.join(dir, 'b.server.log'), `${JSON.stringify({ msg: secrets.quoted })}\n{"url":"/x?q=${encodeURIComponent(secrets.encoded)}"}\n`);
    const result = grepRunLogs(dir);
    assert.equal(result.secrets, 4);
    assert.equal(result.logFiles, 2);
    const found = result.leaks.map((leak) => [path.basename(leak.logFile), leak.line, leak.secret.kind]);
    assert.deepEqual(found, [['a.server.log', 2, 'plain'], ['b.server.log', 1, 'quoted'], ['b.server.log', 2, 'encoded']]);
    for (const leak of result.leaks) {
      const line = describeLeak(leak);
      assert.ok(!line.includes(leak.secret.value), `the report shows the whole secret: ${line}`);
      assert.ok(line.includes(secretPrefix(leak.secret.value)) && line.includes('test/x.test.ts') && line.includes(path.basename(leak.logFile)), line);
    }
    assert.equal(secretPrefix('eyJhbGciOiJIUzI1NiJ9.payload.signature'), 'eyJhbG…');
    assert.equal(secretPrefix('short123'), 'sh…', 'a short secret shows a third at most');
  });

  it('a clean folder has no leaks', () => {
    const dir = tempDir('wabase-grep-');
    fs.writeFileSync(path.join(dir, SECRETS_FILE), `${JSON.stringify({ kind: 'k', value: 'secret-value-1234', file: 'f' })}\n`);
    fs.writeFileSync(path.join(dir, 'c.server.log'), '{"msg":"token=[redacted]"}\n');
    assert.deepEqual(grepRunLogs(dir).leaks, []);
  });
});

describe('a test run feeds the grep', { skip: RUN_LOG_DIR ? false : 'run through npm test (test/run.ts sets WABASE_TEST_LOG_DIR)' }, async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db);
  const user = await testUser(db, 'grep@log.example');

  it('testApp logs at info into the run folder, and the tokens of testUser and of every request are registered', async () => {
    const forged = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.not-registered-elsewhere';
    await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${user.token}` } });
    await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${forged}` } });
    await app.inject({ method: 'GET', url: '/storage/v1/object/sign/wa-media/a.png?token=media-token-from-the-url-1' });
    serverLogDestination()!.flushSync();
    const mine = fs.readdirSync(RUN_LOG_DIR!).filter((name) => name.startsWith(testFile.replace(/[^A-Za-z0-9.-]+/g, '_')) && name.endsWith('.server.log'));
    assert.equal(mine.length, 1, 'one server log for this file');
    const log = fs.readFileSync(path.join(RUN_LOG_DIR!, mine[0]!), 'utf8');
    if (['info', 'debug', 'trace'].includes(RUN_LOG_LEVEL)) {
      assert.match(log, /"msg":"incoming request"/, 'request lines are logged (level info)');
      assert.match(log, /token=\[redacted\]/);
    }
    const registered = new Map(readSecrets(RUN_LOG_DIR!).map((secret) => [secret.value, secret]));
    for (const value of [user.token, forged, 'media-token-from-the-url-1']) {
      assert.equal(registered.get(value)?.file, testFile, `${secretPrefix(value)} is registered by this file`);
    }
  });
});
