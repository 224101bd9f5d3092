// Bundles the CLI into dist/ (run by `npm install` through `prepare`), so commands start without
// transpiling TypeScript on every run. Dependencies stay external; bin/wabase.js falls back to
// the sources through tsx whenever dist/ is missing or older than src/.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** An esbuild plugin: every bare import is external unless its package is in `inline`. */
function externalExcept(inline) {
  return {
    name: 'external-except',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        if (args.path.startsWith('node:') || !inline.includes(name)) return { path: args.path, external: true };
        return undefined;
      });
      // zod's `z.locales` namespace keeps all ~60 message locales alive in the bundle (~400 KB to
      // compile on every command); wabase only uses English, so the namespace offers only `en`.
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: path.join(args.resolveDir, '../locales/en.js'), namespace: 'zod-locales' } : undefined);
      b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: path.dirname(args.path), loader: 'js',
      }));
    },
  };
}

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
  // Dependencies stay external, except the pure-JS ones every command loads (zod's ~95 modules,
  // pg's ~40): inlined, they cost one file read instead of a module resolution each (issue 15's
  // no-op push budget is 0.3 s for the whole process).
  plugins: [externalExcept(['zod', 'pg', 'pg-types', 'pg-protocol', 'pg-pool', 'pg-connection-string', 'pgpass', 'dotenv'])],
  sourcemap: true,
  // pg is CommonJS: its inlined require('events') etc. need a real require in an ES module.
  banner: { js: 'import { createRequire as __wabaseRequire } from \'node:module\'; const require = __wabaseRequire(import.meta.url);' },
  logLevel: 'warning',
});
// Files the code reads next to itself at run time.
fs.copyFileSync(path.join(root, 'src/migrate/catalog.sql'), path.join(dist, 'catalog.sql'));
fs.copyFileSync(path.join(root, 'src/migrate/clone/schema-ddl.sql'), path.join(dist, 'schema-ddl.sql'));
fs.copyFileSync(path.join(root, 'src/migrate/reconcile/definitions.sql'), path.join(dist, 'definitions.sql'));

// The web app (web/): built into web/dist, which the API server serves at `/`.
const { buildWeb } = await import('./build-web.mjs');
await buildWeb(root);
