import { spawn } from 'node:child_process';

/**
 * A bench helper process (`node --import tsx …args`): its stdout line by line to `onLine`, and
 * `done` with the rest of its stdout when it exits (or is killed); a failure rejects with stderr.
 */
export function child(args: string[], onLine?: (line: string) => void): { done: Promise<string>; kill: () => void } {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args]);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    const lines = stdout.split('\n');
    for (const line of lines.slice(0, -1)) onLine?.(line);
    stdout = lines.at(-1)!;
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const done = new Promise<string>((resolve, reject) => proc.on('close', (code, signal) => (code === 0 || signal ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`)))));
  return { done, kill: () => proc.kill() };
}
