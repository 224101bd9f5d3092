/**
 * The last step of `npm test`: every log file of the run is searched for every secret the tests
 * registered. A hit names the log file, the line, what the secret was and which test file
 * registered it, and shows only the secret's first characters.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readSecrets, type RegisteredSecret } from './secrets.js';

export interface Leak {
  logFile: string;
  line: number;
  secret: RegisteredSecret;
}

export interface GrepResult {
  leaks: Leak[];
  secrets: number;
  logFiles: number;
  bytes: number;
}

/** The first characters of a secret, enough to tell which one it is, never the whole of it. */
export function secretPrefix(value: string): string {
  return `${value.slice(0, Math.min(6, Math.floor(value.length / 3)))}…`;
}

/** The forms a secret takes in a log line: as is, JSON-escaped, percent-encoded. */
function forms(value: string): string[] {
  return [...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])];
}

/** Searches every `*.log` under `dir` for every secret registered there. */
export function grepRunLogs(dir: string): GrepResult {
  const secrets = readSecrets(dir);
  const logFiles = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.log')).sort();
  const leaks: Leak[] = [];
  let bytes = 0;
  for (const name of logFiles) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    bytes += text.length;
    for (const secret of secrets) {
      for (const form of forms(secret.value)) {
        const at = text.indexOf(form);
        if (at < 0) continue;
        leaks.push({ logFile: path.relative(process.cwd(), path.join(dir, name)), line: text.slice(0, at).split('\n').length, secret });
        break;
      }
    }
  }
  return { leaks, secrets: secrets.length, logFiles: logFiles.length, bytes };
}

/** One line a person can act on; the secret itself is shortened to its prefix. */
export function describeLeak(leak: Leak): string {
  const { kind, value, file } = leak.secret;
  return `${leak.logFile}:${leak.line}: ${kind} "${secretPrefix(value)}" (${value.length} characters, registered by ${file})`;
}
