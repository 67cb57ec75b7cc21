import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openEventTap, SERVICE_NAMES, startDemoStack, startService } from '@bq-sftp-export/demo';
import type { DemoStack, EventTap, ServiceName, ServiceProcess } from '@bq-sftp-export/demo';
import { startOpenSshServer } from '@bq-sftp-export/testing';
import type { OpenSshServer, OpenSshServerOptions } from '@bq-sftp-export/testing';

/** The repository root (holds `services/<name>/dist/main.js` and `packages/cli/dist`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** What stands between the services and sshd (the fault proxy): where the services connect instead. */
export interface SftpFront {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface SuiteStackOptions {
  /** Names the work directory (`bqx-<prefix>-…`) and the event tap (`<prefix>-tap`). */
  readonly prefix: string;
  /** Where the built services are; default this repository. */
  readonly repoRoot?: string;
  /** Rows seeded into each demo table. */
  readonly rowsPerTable: number;
  /** How the real OpenSSH server starts; default password authentication. */
  readonly sftp?: OpenSshServerOptions;
  /** Puts something between the services and sshd (given the running server). */
  readonly sftpFront?: (sftp: OpenSshServer) => Promise<SftpFront>;
  /**
   * Environment added to every service. When given, the demo's own processes are replaced by
   * ones this harness starts (`launch`, `launchAll`), which a suite can stop and start one by one.
   * Without it the demo's processes keep running and `launch` is refused.
   */
  readonly serviceEnv?: Readonly<Record<string, string>>;
}

/**
 * The stack every fault suite runs on: the demo's local cloud and the three built services as
 * processes (`startDemoStack`, fast Pub/Sub retries) delivering to a real OpenSSH server, an
 * event tap on `export-events`, and a work directory, all stopped in reverse order by `stop()`
 * (and on a failed start). `BQX_KEEP_WORK_DIR=1` keeps the work directory for a look afterwards.
 */
export interface SuiteStack {
  readonly demo: DemoStack;
  readonly sftp: OpenSshServer;
  readonly tap: EventTap;
  readonly workDir: string;
  /** The services' environment (the demo's plus `serviceEnv`), without `PATH`. */
  readonly env: Readonly<Record<string, string>>;
  /** The current process of each service. */
  readonly services: () => readonly ServiceProcess[];
  /** The current process of one service. */
  readonly process: (name: ServiceName) => ServiceProcess;
  /** Starts the service with `env` plus `extraEnv` and waits for `service started`. */
  readonly launch: (
    name: ServiceName,
    extraEnv?: Readonly<Record<string, string>>,
  ) => Promise<ServiceProcess>;
  /** Stops every service this harness started, then starts all three again. */
  readonly launchAll: () => Promise<void>;
  readonly stop: () => Promise<void>;
}

export async function startSuiteStack(options: SuiteStackOptions): Promise<SuiteStack> {
  // Everything started so far, stopped last-first by stop() or by a start that fails half-way.
  const cleanups: Array<() => Promise<unknown>> = [];
  const unwind = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  const root = options.repoRoot ?? repoRoot;
  try {
    const workDir = await mkdtemp(path.join(tmpdir(), `bqx-${options.prefix}-`));
    cleanups.push(async () => {
      if (process.env['BQX_KEEP_WORK_DIR'] === '1') process.stderr.write(`kept ${workDir}\n`);
      else await rm(workDir, { recursive: true, force: true });
    });
    const sftp = await startOpenSshServer(options.sftp ?? { passwordAuthentication: true });
    cleanups.push(() => sftp.stop());
    const front = await options.sftpFront?.(sftp);
    if (front !== undefined) cleanups.push(() => front.close());
    const demo = await startDemoStack({
      repoRoot: root,
      directory: workDir,
      persistent: false,
      rowsPerTable: options.rowsPerTable,
      fastRetries: true,
      sftp: { ...sftp, ...(front && { host: front.host, port: front.port }), password: sftp.password ?? '' },
    });
    cleanups.push(() => demo.stop());
    const env = { ...demo.env, ...options.serviceEnv };
    const own = new Map<ServiceName, ServiceProcess>();
    cleanups.push(() => Promise.all([...own.values()].map((service) => service.stop())));
    const start = (name: ServiceName, extraEnv: Readonly<Record<string, string>> = {}) => {
      if (options.serviceEnv === undefined) throw new Error('launch needs the stack started with serviceEnv');
      return startService(name, {
        repoRoot: root,
        env: { PATH: process.env['PATH'] ?? '', ...env, ...extraEnv },
        logDirectory: demo.logDirectory,
      }).then((service) => {
        own.set(name, service);
        return service;
      });
    };
    const launchAll = async (): Promise<void> => {
      await Promise.all([...own.values()].map((service) => service.stop()));
      for (const name of SERVICE_NAMES) await start(name);
      await Promise.all([...own.values()].map((service) => service.started));
    };
    if (options.serviceEnv !== undefined) {
      // The demo's own processes lack the suite's environment: replace them once.
      await demo.stopServices();
      await launchAll();
    }
    const tap = await openEventTap(demo.clients.pubsub, `${options.prefix}-tap`);
    cleanups.push(() => tap.close());
    const services = (): readonly ServiceProcess[] =>
      options.serviceEnv === undefined ? demo.services() : [...own.values()];
    return {
      demo,
      sftp,
      tap,
      workDir,
      env,
      services,
      process: (name) => {
        const found = services().find((service) => service.name === name);
        if (found === undefined) throw new Error(`${name} was never started`);
        return found;
      },
      launch: async (name, extraEnv) => {
        const service = await start(name, extraEnv);
        await service.started;
        return service;
      },
      launchAll,
      stop: unwind,
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}
