import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Secrets generated once into `<WABASE_HOME>/secrets.json` (mode 0600) so the embedded default
 * needs no setup. An explicit environment variable always wins over these.
 */
export interface LocalSecrets {
  /** Password of the embedded PostgreSQL superuser. */
  pgPassword: string;
  /** HS256 secret for JWTs when SUPABASE_JWT_SECRET is unset. */
  jwtSecret: string;
  /** 32-byte AES-256-GCM key (base64) when WABASE_ENCRYPTION_KEY is unset. */
  encryptionKey: string;
}

function generate(): LocalSecrets {
  return {
    pgPassword: randomBytes(18).toString('base64url'),
    jwtSecret: randomBytes(32).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
  };
}

/** Reads the secrets file, creating it (or filling in missing entries) on first use. */
export function localSecrets(home: string): LocalSecrets {
  const file = path.join(home, 'secrets.json');
  let stored: Partial<LocalSecrets> = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const merged = { ...generate(), ...stored };
  if (Object.keys(stored).length !== Object.keys(merged).length) {
    fs.mkdirSync(home, { recursive: true });
    // Write then link/rename so a concurrent reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
    if (Object.keys(stored).length > 0) {
      fs.renameSync(tmp, file);
      return merged;
    }
    try {
      fs.linkSync(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another process created it first: theirs wins, so every process agrees.
      return JSON.parse(fs.readFileSync(file, 'utf8')) as LocalSecrets;
    } finally {
      fs.unlinkSync(tmp);
    }
  }
  return merged;
}
