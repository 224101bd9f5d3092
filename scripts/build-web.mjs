// Builds the web app (web/) into web/dist with Vite, then writes a brotli and a gzip copy of each
// text file next to it, which the server sends to browsers that accept them (@fastify/static
// preCompressed): the first page's ~470 kB of JavaScript travels as ~140 kB.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const COMPRESSIBLE = /\.(js|css|html|svg|json|map)$/;

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

/** Builds `<root>/web` into `<root>/web/dist`; leaves process.env.NODE_ENV as it found it (Vite sets it). */
export async function buildWeb(root) {
  const web = path.join(root, 'web');
  const nodeEnv = process.env.NODE_ENV;
  const { build } = await import('vite');
  try {
    await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  for (const file of files(path.join(web, 'dist'))) {
    if (!COMPRESSIBLE.test(file) || file.endsWith('.map')) continue;
    const body = fs.readFileSync(file);
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
  }
}
