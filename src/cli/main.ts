import { type Command, parseCommandArgs } from './command.js';

/**
 * Command names and summaries are listed here; each implementation is imported only when it runs,
 * so `wabase db push` does not pay for loading the HTTP server, and the reverse.
 */
interface Entry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

const entries: Entry[] = [
  { name: 'start', summary: 'Database, migrations, API server and worker, all in one process.', load: async () => (await import('./commands/serve.js')).start },
  { name: 'serve', summary: 'API server only; refuses a database whose schema is behind.', load: async () => (await import('./commands/serve.js')).serve },
  { name: 'worker', summary: 'Worker only; refuses a database whose schema is behind.', load: async () => (await import('./commands/serve.js')).worker },
  { name: 'db push', summary: 'lock -> plan -> lint -> drift gate -> backup -> apply -> verify -> unlock.', load: async () => (await import('./commands/db.js')).dbPush },
  { name: 'db status', summary: 'Migrations as applied/pending/edited/missing, and schema vs lock.', load: async () => (await import('./commands/db.js')).dbStatus },
  { name: 'db verify', summary: 'Live schema vs supabase/schema.lock.json, one line per difference.', load: async () => (await import('./commands/db-verify.js')).dbVerify },
  { name: 'db diff', summary: 'Drift report: missing / extra / changed.', load: async () => (await import('./commands/db-verify.js')).dbDiff },
  { name: 'db snapshot', summary: 'Writes supabase/schema.lock.json from a scratch database.', load: async () => (await import('./commands/db-verify.js')).dbSnapshot },
  { name: 'db backup', summary: 'Backup to supabase/backups/ (pg_dump, or a data-directory copy).', load: async () => (await import('./commands/db.js')).dbBackup },
  { name: 'db restore', summary: 'Restores a backup made by db backup.', load: async () => (await import('./commands/db.js')).dbRestore },
  { name: 'db rollback', summary: 'Runs down files newer than --to VERSION, newest first.', load: async () => (await import('./commands/db.js')).dbRollback },
  { name: 'db repair', summary: 'Marks versions applied or reverted without running them.', load: async () => (await import('./commands/db.js')).dbRepair },
  { name: 'db reconcile', summary: 'Writes a reviewed file that undoes the drift (safe / approve / manual).', load: async () => (await import('./commands/db-reconcile.js')).dbReconcile },
  { name: 'db lint', summary: 'Idempotency, RLS and search_path rules, plus squawk.', load: async () => (await import('./commands/db.js')).dbLint },
  { name: 'db check-idempotent', summary: 'Every file run twice on a scratch database: no error, no change.', load: async () => (await import('./commands/db.js')).dbCheckIdempotent },
  { name: 'workspace add', summary: 'Creates a workspace (--slug, --name, --owner).', load: async () => (await import('./commands/hub.js')).workspaceAdd },
  { name: 'connection add', summary: 'Registers a WhatsApp number; its token is stored encrypted.', load: async () => (await import('./commands/hub.js')).connectionAdd },
  { name: 'media status', summary: 'Inbound media jobs per state (--workspace).', load: async () => (await import('./commands/media.js')).mediaStatus },
  { name: 'media retry', summary: 'Queues failed inbound media again while its id can work (--workspace).', load: async () => (await import('./commands/media.js')).mediaRetry },
  { name: 'templates sync', summary: 'Syncs the WABAs\' message templates from the Graph API (--workspace).', load: async () => (await import('./commands/templates.js')).templatesSync },
  { name: 'admin add', summary: 'Makes a user a platform admin (--email, --create).', load: async () => (await import('./commands/ops.js')).adminAdd },
  { name: 'owner add', summary: 'Seed 000\'s owner_members upsert (--email, --user-id, --role).', load: async () => (await import('./commands/ops.js')).ownerAdd },
  { name: 'user add', summary: 'Creates or updates a user (--email, --password-stdin, --admin).', load: async () => (await import('./commands/user.js')).userAdd },
  { name: 'auth token', summary: 'Mints an access token for a user (--email, --create).', load: async () => (await import('./commands/auth-token.js')).authToken },
];

function usage(): string {
  const width = Math.max(...entries.map((entry) => entry.name.length));
  return [
    'usage: wabase <command> [options]   (--help on any command)',
    '',
    ...entries.map((entry) => `  ${entry.name.padEnd(width)}  ${entry.summary}`),
  ].join('\n');
}

/** Finds the longest command name that prefixes argv (`db push` before `db`). */
function resolve(argv: string[]): { entry: Entry; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const entry = entries.find((candidate) => candidate.name === name);
    if (entry) return { entry, rest: argv.slice(words) };
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
  const command = await found.entry.load();
  const input = parseCommandArgs(command, found.rest);
  if (!input) return 0;
  return command.run(input);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = (error as { code?: string }).code ?? 'error';
    const message = error instanceof Error ? error.message : String(error);
    // The drift gate's classification (and a failed rehearsal) is the answer a --json caller asked for; other details stay internal.
    const details = (error as { details?: { findings?: unknown; rehearsal?: unknown } }).details;
    const findings = code === 'drift_blocks_push' ? details?.findings : undefined;
    const rehearsal = code === 'rehearsal_failed' ? details?.rehearsal : undefined;
    const body = { error: { code, message, ...(findings ? { findings } : {}), ...(rehearsal ? { rehearsal } : {}) } };
    if (process.argv.includes('--json')) console.log(JSON.stringify(body, null, 2));
    else console.error(`wabase: ${message}`);
    process.exitCode = 1;
  },
);
