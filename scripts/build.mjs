// Bundles the CLI into dist/ (run by `npm install` through `prepare`), so commands start without
// transpiling TypeScript on every run. Dependencies stay external; bin/wabase.js falls back to
// the sources through tsx whenever dist/ is missing or older than src/.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const dist = path.join(root, 'dist');
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });
await build({
  entryPoints: { wabase: path.join(root, 'src/cli/main.ts') },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  // One chunk per lazily imported command, so `db push` never loads the HTTP server.
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
// Files the code reads next to itself at run time.
fs.copyFileSync(path.join(root, 'src/migrate/catalog.sql'), path.join(dist, 'catalog.sql'));
fs.copyFileSync(path.join(root, 'src/migrate/clone/schema-ddl.sql'), path.join(dist, 'schema-ddl.sql'));
fs.copyFileSync(path.join(root, 'src/migrate/reconcile/definitions.sql'), path.join(dist, 'definitions.sql'));

// The web app (web/): built into web/dist, which the API server serves at `/`.
const { buildWeb } = await import('./build-web.mjs');
await buildWeb(root);
