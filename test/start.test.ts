import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { localSecrets } from '../src/local-secrets.js';
import { exited, spawnTs } from './helpers/process.js';

const cli = path.join(import.meta.dirname, '../src/cli/main.ts');

function startProcess(home: string) {
  const child = spawnTs(cli, ['start'], {
    cwd: path.join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      WABASE_HOME: home,
      PORT: '0',
      WABASE_PG_PORT: '54600',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /wabase is running at (http:\/\/\S+) /.exec(out);
      if (match) resolve(match[1]!);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`start exited with ${code}:\n${out}\n${err}`)));
  });
  /** Resolves with the first stdout line matching `pattern` (waits for it). */
  const line = async (pattern: RegExp): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      const found = out.split('\n').find((candidate) => pattern.test(candidate));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no line matching ${pattern} in:\n${out}`);
  };
  return { child, url, line };
}

async function pgPort(home: string): Promise<number> {
  return Number(fs.readFileSync(path.join(home, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
}

describe('wabase start', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-start-'));
  fs.chmodSync(home, 0o755);
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('brings up the database, applies migrations and serves /readyz; data survives kill -9 and restart', async () => {
    const first = startProcess(home);
    const url = await first.url;
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
    // No platform admin yet: one line with the one-time first-run link (token in the fragment).
    const firstRun = await first.line(/^First run: /);
    assert.match(firstRun, new RegExp(`^First run: open ${url.replace(/[.]/g, '\\.')}/setup#token=[A-Za-z0-9_-]{43} within 1 hour`));

    const dbUrl = `postgresql://postgres:${localSecrets(home).pgPassword}@127.0.0.1:${await pgPort(home)}/wabase`;
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query('insert into auth.users (email) values (\'kept@example.com\')');
    await client.end();

    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = startProcess(home);
    const url2 = await second.url;
    assert.equal((await fetch(`${url2}/readyz`)).status, 200);
    const again = new pg.Client({
      connectionString: dbUrl.replace(/:\d+\/wabase$/, `:${await pgPort(home)}/wabase`),
    });
    await again.connect();
    const rows = (await again.query('select email from auth.users where email = \'kept@example.com\'')).rows;
    await again.end();
    assert.equal(rows.length, 1);

    second.child.kill('SIGTERM');
    assert.equal(await exited(second.child), 0);
    assert.equal(
      fs.existsSync(path.join(home, 'pg', 'postmaster.pid')),
      false,
      'PostgreSQL stopped with the process',
    );
  });
});
