/**
 * The drift gate's scenarios again on Debian's PostgreSQL 15 server (the issue: every drifted
 * database of the tests runs on 15 and 17). The same test file, its databases made on a 15 server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded/server.js';

const pg15 = '/usr/lib/postgresql/15/bin';

if (fs.existsSync(path.join(pg15, 'postgres'))) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-gate15-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'), port: 54425, password: 'pw',
    binaries: { initdb: path.join(pg15, 'initdb'), pg_ctl: path.join(pg15, 'pg_ctl'), postgres: path.join(pg15, 'postgres') },
  });
  after(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // Roles are cluster-wide: the ones the scenarios grant to, as the compat migration makes them.
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('create role anon nologin; create role authenticated nologin; create role service_role nologin bypassrls');
  await admin.end();
  // helpers/db.ts reads the admin URL per call: every database below is made on the 15 server.
  process.env.WABASE_TEST_ADMIN_URL = server.url();
  process.env.WABASE_DRIFT_SERVER = 'PostgreSQL 15';
  await import('./drift-gate.test.js');
} else {
  console.log('# skipped: no PostgreSQL 15 server binaries');
}
