import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { effectiveOpsAdminEmails } from './ops/allowlist.js';

/**
 * Every environment variable wabase reads, parsed once. Nothing else reads `process.env`.
 * The same list, one line each, is in `.env.example` and the README.
 */

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'expected a URL like postgresql://user:password@host:5432/dbname');

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

const port = z.coerce.number().int().min(0).max(65535);

/** A numeric Meta object id (app, configuration). */
const metaId = (message: string) => z.string().trim().regex(/^\d{5,32}$/, message);

function isRedirectUri(value: string): boolean {
  if (/^\/(?!\/)[^\s?#\\]+$/.test(value)) return true;
  try {
    const url = new URL(value);
    // Its path is served: never the web app's root.
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname.length > 1 && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** External database; `SUPABASE_DB_URL` wins when both are set. Unset: embedded PostgreSQL. */
  SUPABASE_DB_URL: postgresUrl.optional(),
  DATABASE_URL: postgresUrl.optional(),
  /** Where wabase keeps local state (embedded data, generated secrets, local media). */
  WABASE_HOME: z.string().min(1).default('.wabase'),
  /** First port tried for the embedded PostgreSQL; the next free one is used when taken. */
  WABASE_PG_PORT: port.default(54329),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` (human-readable lines) or `json`; unset: pretty when stdout is a terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** Comma-separated origins allowed by CORS; empty means no cross-origin access. */
  CORS_ORIGINS: csv.default([]),
  /** HS256 secret of Supabase JWTs; generated into WABASE_HOME for the embedded default. */
  SUPABASE_JWT_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  /** Database pool size per process. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** Skip the backup step of `wabase db push`. */
  SKIP_DB_BACKUP: flag.default(false),
  /** Explicit pg_dump binary for backups. */
  PG_DUMP: z.string().min(1).optional(),
  /** Run `npm start` without the worker (API only). */
  WABASE_NO_WORKER: flag.default(false),
  /** Comma-separated emails allowed to be platform admins (they also need a platform_admins row). */
  OPS_ADMIN_EMAILS: csv.default([]),
  /** Ops console writes allowed per admin per minute. */
  OPS_WRITE_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
  /** App secret that signs Meta webhooks (X-Hub-Signature-256). Required in production. */
  META_APP_SECRET: z.string().min(8, 'expected the app secret from the Meta app dashboard').optional(),
  /** Token Meta echoes in the webhook verification handshake. */
  META_WEBHOOK_VERIFY_TOKEN: z.string().min(1).optional(),
  /** Graph API version and base URL (the base is overridable for tests and proxies). */
  META_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'expected a version like v21.0').default('v21.0'),
  META_GRAPH_BASE_URL: z.url({ message: 'expected an http(s) URL' }).default('https://graph.facebook.com'),
  /** Meta Embedded Signup ("Connect with Facebook"): the app id and the Facebook Login for Business configuration id; both or neither. */
  META_APP_ID: metaId('expected the numeric app id from the Meta app dashboard').optional(),
  META_CONFIG_ID: metaId('expected the numeric configuration id of the Embedded Signup configuration').optional(),
  /** The same two under the names seed 000 gives them (META_* win when both are set). */
  NEXT_PUBLIC_META_APP_ID: metaId('expected the numeric app id from the Meta app dashboard').optional(),
  NEXT_PUBLIC_META_CONFIG_ID: metaId('expected the numeric configuration id of the Embedded Signup configuration').optional(),
  /** Embedded Signup's redirect flow callback: a path on this server, or an absolute URL whose path is served. */
  META_OAUTH_REDIRECT_URI: z
    .string()
    .trim()
    .refine(isRedirectUri, 'expected a path like /api/meta/oauth/callback or an absolute http(s) URL')
    .default('/api/meta/oauth/callback'),
  /** live: send through the Graph API; dry-run: record a dry-run id instead. */
  WA_SEND_MODE: z.enum(['live', 'dry-run']).default('dry-run'),
  /** 32-byte key (base64 or hex) that encrypts connection access tokens; generated for the embedded default. */
  WABASE_ENCRYPTION_KEY: z.string().min(32, 'expected 32 bytes as base64 (44 chars) or hex (64 chars)').optional(),
  /** send-text requests allowed per workspace per minute. */
  SEND_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Sends per second per connection (Meta's default throughput is 80/s). */
  SEND_PER_CONNECTION_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(80),
  /** Attempts before a retryable send is given up as failed. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  /** Minutes between the worker's template syncs (GET /{waba_id}/message_templates); 0 turns the schedule off. */
  TEMPLATE_SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  /** Where group media is stored: local files (default), Supabase Storage, or an S3-compatible store. */
  STORAGE_DRIVER: z.enum(['local', 'supabase', 's3']).default('local'),
  /** Folder of the local driver; default WABASE_HOME/storage. */
  STORAGE_LOCAL_DIR: z.string().min(1).optional(),
  /** Origin clients reach the API at; local signed URLs start with it. Default http://HOST:PORT. */
  PUBLIC_BASE_URL: z.url({ message: 'expected an http(s) URL like https://api.example.com' }).optional(),
  /** Supabase project URL and service role key, for the supabase storage driver. */
  SUPABASE_URL: z.url({ message: 'expected the project URL, like https://abc.supabase.co' }).optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20, 'expected the service_role key from the project API settings').optional(),
  /** The s3 driver: bucket, region, endpoint (unset: AWS), credentials (unset: the AWS default chain). */
  S3_BUCKET: z.string().min(3).max(63).default('wa-media'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z.url({ message: 'expected an http(s) URL' }).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style bucket addressing; default on when S3_ENDPOINT is set (MinIO and most S3-compatibles). */
  S3_FORCE_PATH_STYLE: flag.optional(),
  /** Lifetime of signed media URLs (seed 001: default 7 days; S3 caps presigned URLs at 7). */
  SIGNED_URL_TTL_DAYS: z.coerce.number().positive().max(365).default(7),
  /** Larger media items are not archived (an audit_log error row says so). Default 25 MB. */
  MEDIA_MAX_BYTES: z.coerce.number().int().min(1).default(25 * 1024 * 1024),
  /** Run the WhatsApp Web group monitor session in the worker. */
  WA_MONITOR: flag.default(true),
  /** Minimum seconds between two requests of the same monitor action (refresh QR, disconnect, fetch groups). */
  MONITOR_FLAG_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  /** The project's anon key; with SUPABASE_URL, browsers sign in with Supabase Auth instead of wabase's /auth/v1. */
  SUPABASE_ANON_KEY: z.string().min(20, 'expected the anon (public) key from the project API settings').optional(),
  /** Lifetime of access tokens wabase issues on /auth/v1. */
  AUTH_JWT_EXPIRY_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(3600),
  /** Failed password sign-ins allowed per minute, per email and per client IP. */
  AUTH_LOGIN_RATE_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).max(100_000).default(10),
  AUTH_LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Google sign-in (OpenID Connect); both or neither. The issuer is overridable for tests. */
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_ISSUER: z.url({ message: 'expected the issuer URL, like https://accounts.google.com' }).default('https://accounts.google.com'),
  /** Development only: accept webhook POSTs without a verifiable signature (refused in production). */
  META_WEBHOOK_ALLOW_UNSIGNED: flag.default(false),
  /** Which proxies' X-Forwarded-For to believe: off (default), a hop count, or comma-separated addresses/CIDRs. */
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(off|false|true|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, 'expected off, a hop count, or comma-separated proxy addresses')
    .default('off'),
  /** Seconds a client has to send a whole request, body included (slow bodies are cut off with 408). */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Seconds between `: ping` comments on an idle event stream (proxies close idle connections, often at 60 s). */
  SSE_HEARTBEAT_SECONDS: z.coerce.number().min(0.05).max(300).default(15),
  /** Limits for user requests: a statement, a lock wait, and the wait for a pool connection (then 503 database_busy). */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(10).max(3_600_000).default(2_000),
  DB_POOL_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(3_000),
  /** Largest entitlement payload, in bytes of JSON (nesting is limited to 32 levels). */
  ENTITLEMENT_PAYLOAD_MAX_BYTES: z.coerce.number().int().min(2).max(10_000_000).default(64 * 1024),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  /** Absolute path of WABASE_HOME. */
  home: string;
  /** External database URL, or null for the embedded default. */
  databaseUrl: string | null;
  /** Which variable the URL came from, for messages. */
  databaseUrlSource: 'SUPABASE_DB_URL' | 'DATABASE_URL' | null;
  embeddedPgPort: number;
  host: string;
  port: number;
  /** PORT was set explicitly: never move to another port when it is taken. */
  portExplicit: boolean;
  logLevel: string;
  /** LOG_FORMAT, or null to choose by whether stdout is a terminal. */
  logFormat: 'json' | 'pretty' | null;
  corsOrigins: string[];
  /** Fastify's trustProxy: false, a hop count, or the proxy addresses to believe. */
  trustProxy: boolean | number | string;
  requestTimeoutMs: number;
  /** Heartbeat of the realtime event streams. Default 15 000 ms. */
  sseHeartbeatMs: number;
  /** Limits for user requests; a pool wait past acquireTimeoutMs is 503 database_busy. */
  database: { statementTimeoutMs: number; lockTimeoutMs: number; acquireTimeoutMs: number };
  entitlementPayloadMaxBytes: number;
  jwtSecret: string | null;
  dbPoolMax: number;
  skipDbBackup: boolean;
  pgDump: string | null;
  noWorker: boolean;
  /**
   * The effective ops allowlist, lower-cased: OPS_ADMIN_EMAILS when set, else the emails in
   * WABASE_HOME/ops-admins.json (first run and `wabase user add --admin` write it). A getter that
   * re-reads the file when it changes, so an added admin needs no restart.
   */
  readonly opsAdminEmails: string[];
  /** Where the allowlist comes from: the environment, or the file in WABASE_HOME. */
  opsAdminEmailsSource: 'env' | 'file';
  opsWriteRateLimit: number;
  meta: {
    appSecret: string | null;
    /** META_WEBHOOK_ALLOW_UNSIGNED: development only. */
    allowUnsigned: boolean;
    verifyToken: string | null;
    graphVersion: string;
    graphBaseUrl: string;
    sendMode: 'live' | 'dry-run';
    /** Embedded Signup: set when META_APP_ID, META_CONFIG_ID and META_APP_SECRET all are. */
    signup: MetaSignupConfig | null;
    /** META_OAUTH_REDIRECT_URI as given: a path, or an absolute URL. */
    oauthRedirectUri: string;
  };
  encryptionKey: string | null;
  sendRateLimit: number;
  sendPerConnectionPerSecond: number;
  outboxMaxAttempts: number;
  templateSyncIntervalMinutes: number;
  storage: StorageConfig;
  /** PUBLIC_BASE_URL as given, without trailing slash; null when unset (then the request's origin is used). */
  publicBaseUrl: string | null;
  auth: AuthConfig;
  monitor: {
    enabled: boolean;
    signedUrlTtlSeconds: number;
    mediaMaxBytes: number;
    flagIntervalSeconds: number;
  };
}

export interface MetaSignupConfig {
  appId: string;
  configId: string;
  appSecret: string;
}

export interface AuthConfig {
  /** `supabase` when SUPABASE_URL and SUPABASE_ANON_KEY are both set; then wabase serves no /auth/v1. */
  provider: 'wabase' | 'supabase';
  supabase: { url: string; anonKey: string } | null;
  accessTokenTtlSeconds: number;
  loginRateLimitPerEmail: number;
  loginRateLimitPerIp: number;
  google: { clientId: string; clientSecret: string; issuer: string } | null;
}

export interface StorageConfig {
  driver: 'local' | 'supabase' | 's3';
  /** Absolute folder of the local driver. */
  localDir: string;
  publicBaseUrl: string;
  supabase: { url: string; serviceRoleKey: string } | null;
  s3: {
    bucket: string;
    region: string;
    endpoint: string | null;
    forcePathStyle: boolean;
    credentials: { accessKeyId: string; secretAccessKey: string } | null;
  };
}

function authConfig(e: z.output<typeof envSchema>): AuthConfig {
  if (Boolean(e.GOOGLE_CLIENT_ID) !== Boolean(e.GOOGLE_CLIENT_SECRET)) {
    const problem = 'GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET: set both or neither';
    throw new ConfigError(`invalid configuration:\n  ${problem}`, [problem]);
  }
  const supabase = e.SUPABASE_URL && e.SUPABASE_ANON_KEY ? { url: e.SUPABASE_URL.replace(/\/+$/, ''), anonKey: e.SUPABASE_ANON_KEY } : null;
  return {
    provider: supabase ? 'supabase' : 'wabase',
    supabase,
    accessTokenTtlSeconds: e.AUTH_JWT_EXPIRY_SECONDS,
    loginRateLimitPerEmail: e.AUTH_LOGIN_RATE_LIMIT_PER_EMAIL,
    loginRateLimitPerIp: e.AUTH_LOGIN_RATE_LIMIT_PER_IP,
    google:
      e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET
        ? { clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET, issuer: e.GOOGLE_ISSUER }
        : null,
  };
}

/** Embedded Signup needs the app id and configuration id (both or neither) and, to exchange codes, the app secret. */
function metaSignupConfig(e: z.output<typeof envSchema>): MetaSignupConfig | null {
  const appId = e.META_APP_ID ?? e.NEXT_PUBLIC_META_APP_ID;
  const configId = e.META_CONFIG_ID ?? e.NEXT_PUBLIC_META_CONFIG_ID;
  const problems: string[] = [];
  if (Boolean(appId) !== Boolean(configId)) problems.push('META_APP_ID and META_CONFIG_ID (or NEXT_PUBLIC_META_APP_ID / NEXT_PUBLIC_META_CONFIG_ID): set both or neither');
  else if (appId && !e.META_APP_SECRET) problems.push('META_APP_SECRET: required for Embedded Signup (META_APP_ID and META_CONFIG_ID are set)');
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  return appId && configId && e.META_APP_SECRET ? { appId, configId, appSecret: e.META_APP_SECRET } : null;
}

function storageConfig(e: z.output<typeof envSchema>, home: string, cwd: string): StorageConfig {
  const problems: string[] = [];
  if (e.STORAGE_DRIVER === 'supabase') {
    if (!e.SUPABASE_URL) problems.push('SUPABASE_URL: required when STORAGE_DRIVER=supabase');
    if (!e.SUPABASE_SERVICE_ROLE_KEY) problems.push('SUPABASE_SERVICE_ROLE_KEY: required when STORAGE_DRIVER=supabase');
  }
  if (Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY))
    problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both or neither');
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  return {
    driver: e.STORAGE_DRIVER,
    localDir: e.STORAGE_LOCAL_DIR ? path.resolve(cwd, e.STORAGE_LOCAL_DIR) : path.join(home, 'storage'),
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://${shownHost}:${e.PORT}`).replace(/\/+$/, ''),
    supabase: e.SUPABASE_URL && e.SUPABASE_SERVICE_ROLE_KEY ? { url: e.SUPABASE_URL, serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY } : null,
    s3: {
      bucket: e.S3_BUCKET,
      region: e.S3_REGION,
      endpoint: e.S3_ENDPOINT ?? null,
      forcePathStyle: e.S3_FORCE_PATH_STYLE ?? Boolean(e.S3_ENDPOINT),
      credentials:
        e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : null,
    },
  };
}

/** TRUST_PROXY as Fastify takes it: `off` is false, a number is a hop count, else the addresses. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'off' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value.split(',').map((part) => part.trim()).join(',');
}

/** Loads `.env.local` then `.env` (existing variables always win), without printing anything. */
export function loadDotenv(cwd = process.cwd()): void {
  dotenv.config({ path: [path.join(cwd, '.env.local'), path.join(cwd, '.env')], quiet: true });
}

/** Config from the environment (and .env files), validated: throws ConfigError naming the variable. */
export function loadConfig(): Config {
  loadDotenv();
  return parseConfig(process.env);
}

/**
 * Parses and validates the environment. Throws `ConfigError` naming each bad variable and what
 * was expected; values are never echoed, since most of them are secrets.
 */
export function parseConfig(
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): Config {
  // An empty variable (`DATABASE_URL=` copied from .env.example) means unset.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`, lines);
  }
  const e = result.data;
  const databaseUrl = e.SUPABASE_DB_URL ?? e.DATABASE_URL ?? null;
  const home = path.resolve(cwd, e.WABASE_HOME);
  const envAdmins = e.OPS_ADMIN_EMAILS.map((email) => email.toLowerCase());
  const config: Config = {
    env: e.NODE_ENV,
    home,
    databaseUrl,
    databaseUrlSource: e.SUPABASE_DB_URL ? 'SUPABASE_DB_URL' : e.DATABASE_URL ? 'DATABASE_URL' : null,
    embeddedPgPort: e.WABASE_PG_PORT,
    host: e.HOST,
    port: e.PORT,
    portExplicit: present.PORT !== undefined,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? null,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: trustProxy(e.TRUST_PROXY),
    requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
    sseHeartbeatMs: Math.round(e.SSE_HEARTBEAT_SECONDS * 1000),
    database: { statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS, lockTimeoutMs: e.DB_LOCK_TIMEOUT_MS, acquireTimeoutMs: e.DB_POOL_ACQUIRE_TIMEOUT_MS },
    entitlementPayloadMaxBytes: e.ENTITLEMENT_PAYLOAD_MAX_BYTES,
    jwtSecret: e.SUPABASE_JWT_SECRET ?? null,
    dbPoolMax: e.DB_POOL_MAX,
    skipDbBackup: e.SKIP_DB_BACKUP,
    pgDump: e.PG_DUMP ?? null,
    noWorker: e.WABASE_NO_WORKER,
    get opsAdminEmails() {
      return effectiveOpsAdminEmails(envAdmins, home);
    },
    opsAdminEmailsSource: envAdmins.length > 0 ? 'env' : 'file',
    opsWriteRateLimit: e.OPS_WRITE_RATE_LIMIT,
    meta: {
      appSecret: e.META_APP_SECRET ?? null,
      allowUnsigned: e.META_WEBHOOK_ALLOW_UNSIGNED,
      verifyToken: e.META_WEBHOOK_VERIFY_TOKEN ?? null,
      graphVersion: e.META_GRAPH_VERSION,
      graphBaseUrl: e.META_GRAPH_BASE_URL.replace(/\/+$/, ''),
      sendMode: e.WA_SEND_MODE,
      signup: metaSignupConfig(e),
      oauthRedirectUri: e.META_OAUTH_REDIRECT_URI,
    },
    encryptionKey: e.WABASE_ENCRYPTION_KEY ?? null,
    sendRateLimit: e.SEND_RATE_LIMIT,
    sendPerConnectionPerSecond: e.SEND_PER_CONNECTION_PER_SECOND,
    outboxMaxAttempts: e.OUTBOX_MAX_ATTEMPTS,
    templateSyncIntervalMinutes: e.TEMPLATE_SYNC_INTERVAL_MINUTES,
    storage: storageConfig(e, home, cwd),
    publicBaseUrl: e.PUBLIC_BASE_URL ? e.PUBLIC_BASE_URL.replace(/\/+$/, '') : null,
    auth: authConfig(e),
    monitor: {
      enabled: e.WA_MONITOR,
      signedUrlTtlSeconds: Math.round(e.SIGNED_URL_TTL_DAYS * 86_400),
      mediaMaxBytes: e.MEDIA_MAX_BYTES,
      flagIntervalSeconds: e.MONITOR_FLAG_INTERVAL_SECONDS,
    },
  };
  if (config.env === 'production' && config.meta.allowUnsigned) {
    throw new ConfigError('invalid configuration:\n  META_WEBHOOK_ALLOW_UNSIGNED: not allowed in production (webhooks must be verified)', [
      'META_WEBHOOK_ALLOW_UNSIGNED: not allowed in production',
    ]);
  }
  if (config.env === 'production' && !config.meta.appSecret) {
    throw new ConfigError('invalid configuration:\n  META_APP_SECRET: required in production (webhooks must be verified)', [
      'META_APP_SECRET: required in production',
    ]);
  }
  return config;
}
