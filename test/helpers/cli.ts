import { spawn } from 'node:child_process';
import path from 'node:path';
import { recordChildOutput } from './run-log.js';

/** tsx by absolute URL, so children started in another directory still load TypeScript. */
const TSX = import.meta.resolve('tsx');

const cli = path.join(import.meta.dirname, '../../src/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `wabase <args>` in a child process with `env` added (and `input` on stdin); resolves when it exits. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, cli, ...args], {
      cwd: cwd ?? path.join(import.meta.dirname, '../..'),
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    recordChildOutput(child, `cli-${args.slice(0, 2).join('-')}`);
    child.stdin.end(input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
