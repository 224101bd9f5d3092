import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('config', () => {
  it('defaults to the embedded database when no URL is set', () => {
    const config = parseConfig({}, '/srv/app');
    assert.equal(config.databaseUrl, null);
    assert.equal(config.home, '/srv/app/.wabase');
    assert.equal(config.port, 3000);
    assert.equal(config.portExplicit, false);
    assert.deepEqual(config.corsOrigins, []);
  });

  it('prefers SUPABASE_DB_URL over DATABASE_URL', () => {
    const config = parseConfig({
      SUPABASE_DB_URL: 'postgresql://a:b@supabase.example:5432/postgres',
      DATABASE_URL: 'postgres://x@localhost/db',
    });
    assert.equal(config.databaseUrl, 'postgresql://a:b@supabase.example:5432/postgres');
    assert.equal(config.databaseUrlSource, 'SUPABASE_DB_URL');
  });

  it('rejects a bad database URL naming the variable and what was expected, without echoing it', () => {
    const secret = 'mysql://root:hunter2@db/x';
    assert.throws(
      () => parseConfig({ DATABASE_URL: secret }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /DATABASE_URL: expected a URL like postgresql:\/\//);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
  });

  it('lists every bad variable at once', () => {
    assert.throws(
      () => parseConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', SUPABASE_JWT_SECRET: 'short' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 3);
        assert.match(error.message, /PORT:/);
        assert.match(error.message, /LOG_LEVEL:/);
        assert.match(error.message, /SUPABASE_JWT_SECRET: expected at least 32 characters/);
        assert.doesNotMatch(error.message, /short/);
        return true;
      },
    );
  });

  it('treats an empty variable as unset', () => {
    const config = parseConfig({ DATABASE_URL: '', PORT: '' });
    assert.equal(config.databaseUrl, null);
    assert.equal(config.port, 3000);
  });

  it('parses CORS origins and flags', () => {
    const config = parseConfig({
      CORS_ORIGINS: 'https://a.example, https://b.example,',
      SKIP_DB_BACKUP: '1',
      PORT: '8080',
    });
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.skipDbBackup, true);
    assert.equal(config.port, 8080);
    assert.equal(config.portExplicit, true);
  });
});
