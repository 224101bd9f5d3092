#!/usr/bin/env node
// Runs the bundled CLI (dist/, built by `npm install`) when it is at least as new as src/;
// otherwise the TypeScript sources through tsx, so an edit is never masked by a stale bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bundle = path.join(root, 'dist', 'wabase.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

let fresh = false;
try {
  fresh = fs.statSync(bundle).mtimeMs >= newestSource(path.join(root, 'src'));
} catch {}

if (fresh) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
