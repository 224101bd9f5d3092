import { ConfigError } from '../errors.js';
import { type Command, parseCommandArgs } from './command.js';
import { authToken } from './commands/auth-token.js';
import {
  dbBackup,
  dbCheckIdempotent,
  dbLint,
  dbPush,
  dbRepair,
  dbRestore,
  dbRollback,
  dbStatus,
} from './commands/db.js';
import { dbDiff, dbSnapshot, dbVerify } from './commands/db-verify.js';
import { serve, start, worker } from './commands/serve.js';

const commands: Command[] = [
  start,
  serve,
  worker,
  dbPush,
  dbStatus,
  dbVerify,
  dbDiff,
  dbSnapshot,
  dbBackup,
  dbRestore,
  dbRollback,
  dbRepair,
  dbLint,
  dbCheckIdempotent,
  authToken,
];

function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'usage: wabase <command> [options]   (--help on any command)',
    '',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
  ].join('\n');
}

/** Finds the longest command name that prefixes argv (`db push` before `db`). */
function resolve(argv: string[]): { command: Command; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((candidate) => candidate.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return null;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(usage());
    return argv.length === 0 ? 1 : 0;
  }
  const found = resolve(argv);
  if (!found) {
    console.error(`unknown command: ${argv.join(' ')}\n\n${usage()}`);
    return 2;
  }
  const input = parseCommandArgs(found.command, found.rest);
  if (!input) return 0;
  return found.command.run(input);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const json = process.argv.includes('--json');
    const code = (error as { code?: string }).code ?? 'error';
    const message = error instanceof Error ? error.message : String(error);
    if (json) console.log(JSON.stringify({ error: { code, message } }, null, 2));
    else console.error(error instanceof ConfigError ? `wabase: ${message}` : `wabase: ${message}`);
    process.exitCode = 1;
  },
);
