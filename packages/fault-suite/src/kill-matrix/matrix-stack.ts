import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { openEventTap, SERVICE_NAMES, startDemoStack, startService } from '@bq-sftp-export/demo';
import type { DemoStack, EventTap, ServiceName, ServiceProcess } from '@bq-sftp-export/demo';
import { FAULT_INJECTION_VARIABLE } from '@bq-sftp-export/runtime';
import { startOpenSshServer } from '@bq-sftp-export/testing';

import { MATRIX_ARROW_BATCH_ROWS } from './kill-points.js';
import type { OpenSshServer } from '@bq-sftp-export/testing';

/** Environment the matrix adds to every service: short claims, so a killed upload is retried soon. */
const MATRIX_ENV = { DELIVERY_CLAIM_TTL_SECONDS: '3' } as const;

export interface MatrixStackOptions {
  readonly repoRoot: string;
  /** Rows seeded into each table before the first run. */
  readonly seededRows: number;
}

/**
 * The demo's local stack (local cloud, the three built services as processes) delivering to a
 * real OpenSSH server, with each service replaceable on its own: the kill matrix restarts only
 * the service it kills, armed or not.
 */
export interface MatrixStack {
  readonly demo: DemoStack;
  readonly sftp: OpenSshServer;
  readonly tap: EventTap;
  readonly workDir: string;
  /** The running process of each service. */
  process(name: ServiceName): ServiceProcess;
  /**
   * Stops the service (SIGTERM) and starts it again, with `BQX_FAULT_INJECTION=<rule>` when
   * given, and `extraEnv` added to its environment.
   */
  restart(
    name: ServiceName,
    rule?: string,
    extraEnv?: Readonly<Record<string, string>>,
  ): Promise<ServiceProcess>;
  /** Starts the service again after it died (no hook), with `extraEnv` added. */
  revive(name: ServiceName, extraEnv?: Readonly<Record<string, string>>): Promise<ServiceProcess>;
  /**
   * Switches the export to gzip from the next run on (`compression: "gzip"`, file names ending
   * `.csv.gz`), by rewriting the config file the services read on each request.
   */
  useGzip(exportName: string): Promise<void>;
  /** The current process's log lines so far (its JSON lines and the fault injector's notes). */
  logOf(name: ServiceName): Promise<string>;
  stop(): Promise<void>;
}

export async function startMatrixStack(options: MatrixStackOptions): Promise<MatrixStack> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'bqx-kill-matrix-'));
  const sftp = await startOpenSshServer({ passwordAuthentication: true });
  let demo: DemoStack | undefined;
  try {
    demo = await startDemoStack({
      repoRoot: options.repoRoot,
      directory: workDir,
      persistent: false,
      rowsPerTable: options.seededRows,
      fastRetries: true,
      sftp: { ...sftp, password: sftp.password ?? '' },
    });
  } catch (error) {
    await sftp.stop();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const stack = demo;
  const env = { PATH: process.env['PATH'] ?? '', ...stack.env, ...MATRIX_ENV };
  const running = new Map<ServiceName, ServiceProcess>();
  // Each service's log file is appended by every process of it: where the current one began.
  const logStart = new Map<ServiceName, number>();
  const launch = async (
    name: ServiceName,
    rule?: string,
    extraEnv: Readonly<Record<string, string>> = {},
  ): Promise<ServiceProcess> => {
    const logFile = path.join(stack.logDirectory, `${name}.log`);
    logStart.set(
      name,
      await stat(logFile).then(
        (info) => info.size,
        () => 0,
      ),
    );
    const started = await startService(name, {
      repoRoot: options.repoRoot,
      env: { ...env, ...extraEnv, ...(rule === undefined ? {} : { [FAULT_INJECTION_VARIABLE]: rule }) },
      logDirectory: stack.logDirectory,
    });
    running.set(name, started);
    await started.started;
    return started;
  };
  stack.cloud.bigquery.storage.setBatchRows(MATRIX_ARROW_BATCH_ROWS);
  const tap = await openEventTap(stack.clients.pubsub, 'kill-matrix-tap');
  // The demo's own processes lack the matrix's environment: replace them once.
  await stack.stopServices();
  for (const name of SERVICE_NAMES) await launch(name);

  const processOf = (name: ServiceName): ServiceProcess => {
    const found = running.get(name);
    if (found === undefined) throw new Error(`${name} was never started`);
    return found;
  };
  return {
    demo: stack,
    sftp,
    tap,
    workDir,
    process: processOf,
    restart: async (name, rule, extraEnv) => {
      await processOf(name).stop();
      return launch(name, rule, extraEnv);
    },
    revive: (name, extraEnv) => launch(name, undefined, extraEnv),
    useGzip: async (exportName) => {
      const file = path.join(stack.configDirectory, `${stack.config.name}.json`);
      const config = JSON.parse(await readFile(file, 'utf8')) as {
        exports: Array<Record<string, unknown>>;
      };
      for (const entry of config.exports.filter((candidate) => candidate['name'] === exportName)) {
        entry['compression'] = 'gzip';
        entry['destination_filename'] = `${String(entry['destination_filename'])}.gz`;
      }
      await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
    },
    logOf: async (name) =>
      (await readFile(processOf(name).logFile)).subarray(logStart.get(name) ?? 0).toString('utf8'),
    stop: async () => {
      await Promise.all([...running.values()].map((service) => service.stop()));
      await tap.close();
      await stack.stop();
      await sftp.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
