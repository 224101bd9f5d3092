import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveLogFormat } from '../src/log.js';
import { exited, spawnTs } from './helpers/process.js';

const fixture = path.join(import.meta.dirname, 'fixtures/log-format.ts');
const secrets = ['pw-secret-1', 'tok-secret-2', 'hdr-secret-3', 'acc-secret-4', 'db-secret-5'];

async function logOutput(format: string): Promise<string> {
  const child = spawnTs(fixture, [format]);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  assert.equal(await exited(child), 0);
  return out;
}

describe('log format', () => {
  it('LOG_FORMAT wins; unset, a terminal gets pretty lines and anything else JSON', () => {
    assert.equal(resolveLogFormat(null, true), 'pretty');
    assert.equal(resolveLogFormat(null, false), 'json');
    assert.equal(resolveLogFormat('json', true), 'json');
    assert.equal(resolveLogFormat('pretty', false), 'pretty');
  });

  it('pretty prints a human-readable line with every secret redacted', async () => {
    const out = await logOutput('pretty');
    assert.match(out, /INFO.*\(wabase\): hello from the log test/);
    assert.throws(() => JSON.parse(out.split('\n')[0]!));
    assert.match(out, /workspace: "acme"/);
    for (const secret of secrets) assert.ok(!out.includes(secret), `${secret} in:\n${out}`);
    assert.equal(out.match(/\[redacted\]/g)?.length, secrets.length, out);
  });

  it('json writes one JSON object a line with the same redaction', async () => {
    const out = await logOutput('json');
    const line = JSON.parse(out.trim()) as Record<string, unknown>;
    assert.equal(line.msg, 'hello from the log test');
    assert.equal(line.password, '[redacted]');
    for (const secret of secrets) assert.ok(!out.includes(secret), `${secret} in:\n${out}`);
  });
});
