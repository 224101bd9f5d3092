import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import { parseConfig } from '../config.js';
import { createPool } from '../db/pool.js';
import { createLogger } from '../log.js';
import { createMediaStore } from '../storage/create.js';
import { buildApp } from './app.js';
import type { AppContext } from './context.js';

/**
 * The API's OpenAPI document as `buildApp()` publishes it at /docs/json, built without a server
 * and without a database: the pool is never queried, so it never connects. The configuration is
 * the default one, not the caller's environment (nor whether the web app is built), so the same
 * sources always give the same document.
 */
export async function openApiDocument(): Promise<OpenAPI3> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wabase-openapi-'));
  const config = parseConfig({ NODE_ENV: 'test', WABASE_HOME: dir, STORAGE_LOCAL_DIR: path.join(dir, 'storage') }, dir);
  const jwtKey = new TextEncoder().encode('openapi-document-only-never-verifies-a-token');
  const ctx: AppContext = {
    config,
    pool: createPool('postgres://offline@127.0.0.1:9/offline', { max: 1, application: 'wabase-openapi' }),
    logger: createLogger('silent'),
    jwtKey,
    requiredMigrations: [],
    mediaStore: await createMediaStore(config.storage, jwtKey),
    // No web build: its files are not API routes, and the document must not depend on a build.
    webRoot: path.join(dir, 'web'),
  };
  try {
    const app = await buildApp(ctx);
    try {
      await app.ready();
      return app.swagger() as OpenAPI3;
    } finally {
      await app.close();
    }
  } finally {
    await ctx.pool.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
