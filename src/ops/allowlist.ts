import fs from 'node:fs';
import path from 'node:path';

/**
 * The ops allowlist when OPS_ADMIN_EMAILS is unset: `<WABASE_HOME>/ops-admins.json`, written by the
 * first-run link and `wabase user add --admin`. Read again whenever the file changes, so a new
 * admin is let in without a restart.
 */
export function allowlistFile(home: string): string {
  return path.join(home, 'ops-admins.json');
}

interface Cached {
  mtimeMs: number;
  size: number;
  emails: string[];
}

const cache = new Map<string, Cached>();

function parse(text: string): string[] {
  const data = JSON.parse(text) as { emails?: unknown };
  if (!Array.isArray(data.emails)) return [];
  return data.emails.filter((email): email is string => typeof email === 'string').map((email) => email.trim().toLowerCase());
}

/** The emails in the allowlist file; none when it is missing or unreadable. */
export function readAllowlistFile(home: string): string[] {
  const file = allowlistFile(home);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    cache.delete(file);
    return [];
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.emails;
  let emails: string[] = [];
  try {
    emails = parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // A half-edited file lets nobody in rather than failing every request.
  }
  cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, emails });
  return emails;
}

/** OPS_ADMIN_EMAILS when it lists anyone, else the allowlist file. */
export function effectiveOpsAdminEmails(fromEnv: string[], home: string): string[] {
  return fromEnv.length > 0 ? fromEnv : readAllowlistFile(home);
}

/** Adds an email to the allowlist file (atomically: write then rename); false when already there. */
export function addToAllowlistFile(home: string, email: string): boolean {
  const normalized = email.trim().toLowerCase();
  const file = allowlistFile(home);
  let emails: string[] = [];
  try {
    emails = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (emails.includes(normalized)) return false;
  fs.mkdirSync(home, { recursive: true });
  const body = {
    note: 'Platform admins allowed into the ops console while OPS_ADMIN_EMAILS is unset (each also needs a platform_admins row).',
    emails: [...emails, normalized],
  };
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  cache.delete(file);
  return true;
}
