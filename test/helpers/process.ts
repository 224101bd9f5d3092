import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { after } from 'node:test';

/** tsx by absolute URL, so children started in another directory still load TypeScript. */
const TSX = import.meta.resolve('tsx');

/** Spawns `node --import tsx <script> ...args`; killed when the test file ends. */
export function spawnTs(script: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', TSX, script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Resolves with the first stdout line that parses as JSON; rejects on exit before it. */
export function firstJsonLine<T>(child: ChildProcess, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no JSON line in ${timeoutMs} ms; stderr:\n${err}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        try {
          const value = JSON.parse(line) as T;
          clearTimeout(timer);
          resolve(value);
          return;
        } catch {}
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing JSON; stderr:\n${err}`));
    });
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
