/**
 * The secrets a test run used, for the final log grep (test/helpers/secret-grep.ts): each helper
 * that mints one (access and refresh tokens, signed URL tokens, verify tokens, app secrets, OAuth
 * codes and states, setup tokens, connection access tokens) calls `registerSecret`, and testApp
 * registers every credential its requests carry and its responses hand out
 * (test/helpers/app-credentials.ts). One JSON line each in `<run log folder>/secrets.jsonl`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RUN_LOG_DIR, testFile } from './run-log.js';

/**
 * Shorter values cannot be looked for: "x" is in every log. Test secrets shorter than this are
 * placeholders (a client secret "y" for a provider that is down), never real credentials.
 */
export const SECRET_MIN_LENGTH = 8;

export interface RegisteredSecret {
  kind: string;
  value: string;
  /** The test file that registered it. */
  file: string;
}

export const SECRETS_FILE = 'secrets.jsonl';
const seen = new Set<string>();

/** Placeholders such as "xxxxxxxx" are no secret, and a log of long paths would hold them by chance. */
const placeholder = (value: string) => new Set(value).size < 4;

/** Records `value` as a secret of the run (no-op outside a run, for short values, placeholders and repeats). */
export function registerSecret(value: string | null | undefined, kind: string): void {
  if (!RUN_LOG_DIR || !value || value.length < SECRET_MIN_LENGTH || placeholder(value) || seen.has(value)) return;
  seen.add(value);
  const entry: RegisteredSecret = { kind, value, file: testFile };
  // One short append each: lines from parallel test files never interleave.
  fs.appendFileSync(path.join(RUN_LOG_DIR, SECRETS_FILE), `${JSON.stringify(entry)}\n`);
}

/** Every secret registered so far in the run folder `dir`, each value once. */
export function readSecrets(dir: string): RegisteredSecret[] {
  const file = path.join(dir, SECRETS_FILE);
  if (!fs.existsSync(file)) return [];
  const byValue = new Map<string, RegisteredSecret>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const entry = JSON.parse(line) as RegisteredSecret;
    if (!byValue.has(entry.value)) byValue.set(entry.value, entry);
  }
  return [...byValue.values()];
}
