import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** The three services, in the order they are started. */
export const SERVICE_NAMES = ['tracker-notifier', 'uploader', 'extractor'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Each service's V8 heap cap (`--max-old-space-size`, MB), the same as on Cloud Run
 * (`infra/run.tf`, where the reasons are), so the demo and the bench measure the processes
 * as they run in production.
 */
export const SERVICE_HEAP_LIMITS_MB: Readonly<Record<ServiceName, number>> = {
  'tracker-notifier': 128,
  uploader: 128,
  extractor: 256,
};

export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A built service (`services/<name>/dist/main.js`) running as a child process. */
export interface ServiceProcess {
  readonly name: ServiceName;
  readonly pid: number | undefined;
  /** Its JSON log lines (stdout and stderr), appended as they come. */
  readonly logFile: string;
  /** Resolves when it logs `service started`; rejects if it exits first. */
  readonly started: Promise<void>;
  readonly exited: Promise<ServiceExit>;
  /** True when it has exited without being asked to stop. */
  exitedEarly(): boolean;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<ServiceExit>;
}

export interface StartServiceOptions {
  /** The repository root (holds `services/<name>/dist/main.js`). */
  readonly repoRoot: string;
  /** The complete environment of the child (nothing of this process's is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Directory of `<service>.log`. */
  readonly logDirectory: string;
}

/**
 * Starts one service with its heap cap (`SERVICE_HEAP_LIMITS_MB`); its output goes to
 * `<logDirectory>/<name>.log`, appended.
 */
export async function startService(name: ServiceName, options: StartServiceOptions): Promise<ServiceProcess> {
  await mkdir(options.logDirectory, { recursive: true });
  const logFile = path.join(options.logDirectory, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const heapFlag = `--max-old-space-size=${SERVICE_HEAP_LIMITS_MB[name]}`;
  const main = path.join(options.repoRoot, 'services', name, 'dist', 'main.js');
  const child = spawn(process.execPath, [heapFlag, main], {
    cwd: options.repoRoot,
    env: { ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<ServiceExit>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end(() => resolve({ code, signal }));
    });
  });
  const started = new Promise<void>((resolve, reject) => {
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      log.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (lines.some((line) => line.includes('"message":"service started"'))) resolve();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => log.write(chunk));
    child.once('error', reject);
    void exited.then((exit) =>
      reject(
        new Error(
          `${name} exited during start-up (code ${exit.code}, signal ${exit.signal}); see ${logFile}`,
        ),
      ),
    );
  });
  started.catch(() => undefined);
  let stopping = false;
  return {
    name,
    pid: child.pid,
    logFile,
    started,
    exited,
    exitedEarly: () => !stopping && (child.exitCode !== null || child.signalCode !== null),
    stop: async (graceMs = 10_000) => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}
