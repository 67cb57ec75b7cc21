import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
/** `worker.js` when built, `worker.ts` when run from source (with tsx). */
export const workerEntry = path.join(path.dirname(here), '..', 'workers', `worker${path.extname(here)}`);

export interface WorkerOptions {
  /** Run inside a new, private network namespace (`unshare -n`; root only): loopback only. */
  readonly privateNetwork?: boolean;
}

/**
 * Runs one benchmark worker in a child process (so its peak RSS and CPU are its own) and
 * returns the JSON object it prints as its last stdout line. The worker's stderr passes through.
 */
export function runWorker<T>(name: string, args: readonly string[], options: WorkerOptions = {}): Promise<T> {
  const nodeArgs = [...process.execArgv, workerEntry, name, ...args];
  const [command, commandArgs] = options.privateNetwork
    ? ['unshare', ['--net', '--', process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`bench worker ${name} failed (${signal ?? `exit ${code}`})`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as T);
      } catch (error) {
        reject(new Error(`bench worker ${name} printed no JSON result`, { cause: error }));
      }
    });
  });
}
