import { spawn } from 'node:child_process';

import { workerEntry } from '../measure/run-worker.js';

export interface LocalServerProcess {
  /** The `<key> <value>` lines the server worker printed (`endpoint`, …). */
  readonly values: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts a server worker (`local-gcs`, `local-bigquery`) in a child process, so its CPU is not
 * the measured process's, and waits until it printed every one of `keys` as `<key> <value>`.
 * It serves until its stdin closes (`stop`).
 */
export function startLocalServerProcess(
  worker: string,
  keys: readonly string[],
): Promise<LocalServerProcess> {
  const child = spawn(process.execPath, [...process.execArgv, workerEntry, worker], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${worker} process exited early (${code})`)));
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString();
      const values: Record<string, string> = {};
      for (const key of keys) {
        const value = new RegExp(`^${key} (\\S+)$`, 'm').exec(out)?.[1];
        if (value === undefined) return;
        values[key] = value;
      }
      resolve({
        values,
        stop: async () => {
          child.stdin.end();
          await exited;
        },
      });
    });
  });
}

/** The local Cloud Storage in a child process (the `local-gcs` worker). */
export async function startLocalGcsProcess(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server = await startLocalServerProcess('local-gcs', ['endpoint']);
  return { endpoint: server.values['endpoint']!, stop: () => server.stop() };
}
