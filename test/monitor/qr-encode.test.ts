// The page draws WhatsApp's linking QR itself (web/src/monitor/qr-encode.ts): every drawn code must
// scan back to the exact text. Decoded with zbarimg (apt-get install zbar-tools); skipped without it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { encodeQr } from '../../web/src/monitor/qr-encode.js';
import { tempDir } from '../helpers/tmp.js';

const zbar = (() => {
  try {
    execFileSync('zbarimg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A black-on-white PBM of the modules, 4 px per module, with the 4-module quiet zone. */
function pbm(modules: boolean[][], file: string): void {
  const scale = 4;
  const n = modules.length;
  const size = (n + 8) * scale;
  const rows: string[] = [];
  for (let y = 0; y < size; y++) {
    let row = '';
    for (let x = 0; x < size; x++) {
      const mx = Math.floor(x / scale) - 4;
      const my = Math.floor(y / scale) - 4;
      row += mx >= 0 && my >= 0 && mx < n && my < n && modules[my]![mx] ? '1' : '0';
    }
    rows.push(row);
  }
  fs.writeFileSync(file, `P1\n${size} ${size}\n${rows.join('\n')}\n`);
}

describe('QR encoder', () => {
  const dir = tempDir('wabase-qr-');
  // A WhatsApp linking QR is `ref,publicKey,identityKey,advSecret` (~240 characters: version 10 or so).
  const whatsapp = `2@${'Xy7+/Ab'.repeat(14)},${'k3Q='.repeat(11)},${'Zp0/'.repeat(11)},${'mN8+'.repeat(6)}`;
  const texts = ['2@short', whatsapp, 'x'.repeat(600), 'https://example.com/path?q=1&r=2'];

  it('sizes grow with the text (version 1 = 21 modules; version info from version 7 on)', () => {
    assert.equal(encodeQr('2@short').length, 21);
    assert.ok(encodeQr(whatsapp).length >= 45, 'a WhatsApp QR is version 7 or more');
    assert.throws(() => encodeQr('x'.repeat(3000)), /too long/);
  });

  for (const [i, text] of texts.entries()) {
    it(`scans back to the text (${text.length} characters)`, { skip: zbar ? false : 'zbarimg not installed (apt-get install zbar-tools)' }, () => {
      const file = path.join(dir, `qr-${i}.pbm`);
      pbm(encodeQr(text), file);
      const decoded = execFileSync('zbarimg', ['-q', '--raw', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().replace(/\n$/, '');
      assert.equal(decoded, text);
    });
  }
});
