import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startEmbeddedPostgres } from '../../src/db/embedded/server.js';
import { projectPaths } from '../../src/migrate/files.js';
import { push } from '../../src/migrate/push.js';
import { verify } from '../../src/migrate/verify.js';

const pg15 = '/usr/lib/postgresql/15/bin';
const present = fs.existsSync(path.join(pg15, 'postgres'));

describe('PostgreSQL 15', () => {
  it('applies the whole migration set on the machine PostgreSQL 15 and matches the lock', { skip: !present && 'no PostgreSQL 15 server binaries' }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-pg15-'));
    fs.chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'),
      port: 54700,
      password: 'pw',
      binaries: { initdb: path.join(pg15, 'initdb'), pg_ctl: path.join(pg15, 'pg_ctl'), postgres: path.join(pg15, 'postgres') },
    });
    after(async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const paths = projectPaths();
    const result = await push(server.url(), { migrationsDir: paths.migrations });
    assert.ok(result.applied.length > 10);
    const verified = await verify(server.url(), paths.lock);
    assert.deepEqual(verified.errors.map((e) => e.message), []);
  });
});
