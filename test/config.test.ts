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

  it('Embedded Signup: META_APP_ID and META_CONFIG_ID (or the NEXT_PUBLIC_ names), both or neither, with the app secret', () => {
    const secret = { META_APP_SECRET: 'app-secret-0123456789' };
    assert.equal(parseConfig({}).meta.signup, null);
    assert.equal(parseConfig({}).meta.oauthRedirectUri, '/api/meta/oauth/callback');
    assert.deepEqual(parseConfig({ ...secret, NEXT_PUBLIC_META_APP_ID: '1234567', NEXT_PUBLIC_META_CONFIG_ID: '7654321' }).meta.signup,
      { appId: '1234567', configId: '7654321', appSecret: 'app-secret-0123456789' });
    assert.equal(parseConfig({ ...secret, META_APP_ID: '1111111', NEXT_PUBLIC_META_APP_ID: '2222222', META_CONFIG_ID: '3333333' }).meta.signup?.appId, '1111111', 'META_* win');
    assert.throws(() => parseConfig({ ...secret, META_APP_ID: '1234567' }), /META_APP_ID and META_CONFIG_ID .*: set both or neither/);
    assert.throws(() => parseConfig({ META_APP_ID: '1234567', META_CONFIG_ID: '7654321' }), /META_APP_SECRET: required for Embedded Signup/);
    assert.throws(() => parseConfig({ META_APP_ID: 'my-app' }), /META_APP_ID: expected the numeric app id/);
    assert.throws(() => parseConfig({ NEXT_PUBLIC_META_CONFIG_ID: '12' }), /NEXT_PUBLIC_META_CONFIG_ID: expected the numeric configuration id/);
  });

  it('META_OAUTH_REDIRECT_URI: a path on this server or an absolute http(s) URL without query', () => {
    assert.equal(parseConfig({ META_OAUTH_REDIRECT_URI: '/meta/callback' }).meta.oauthRedirectUri, '/meta/callback');
    assert.equal(parseConfig({ META_OAUTH_REDIRECT_URI: 'https://app.example.com/api/meta/oauth/callback' }).meta.oauthRedirectUri, 'https://app.example.com/api/meta/oauth/callback');
    for (const bad of ['/', '//evil.example/cb', 'api/meta/oauth/callback', 'https://app.example.com/cb?x=1', 'https://app.example.com/', 'javascript:alert(1)']) {
      assert.throws(() => parseConfig({ META_OAUTH_REDIRECT_URI: bad }), /META_OAUTH_REDIRECT_URI: expected a path/, bad);
    }
  });
});
