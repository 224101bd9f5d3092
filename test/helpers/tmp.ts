import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/**
 * A temporary directory others can traverse (the embedded server runs as the postgres user when
 * tests run as root), removed when the test file ends.
 */
export function tempDir(prefix = 'wabase-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
