import { spawn } from 'node:child_process';

import { workerEntry } from '../measure/run-worker.js';

export interface LocalGcsProcess {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts the local Cloud Storage in a child process (the `local-gcs` worker) and waits for its endpoint. */
export function startLocalGcsProcess(): Promise<LocalGcsProcess> {
  const child = spawn(process.execPath, [...process.execArgv, workerEntry, 'local-gcs'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`local GCS process exited early (${code})`)));
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString();
      const endpoint = /^endpoint (\S+)$/m.exec(out)?.[1];
      if (endpoint === undefined) return;
      resolve({
        endpoint,
        stop: async () => {
          child.stdin.end();
          await exited;
        },
      });
    });
  });
}
