import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { DemoStack, EventTap, ServiceName, ServiceProcess } from '@bq-sftp-export/demo';
import { FAULT_INJECTION_VARIABLE } from '@bq-sftp-export/runtime';
import type { OpenSshServer } from '@bq-sftp-export/testing';

import { startSuiteStack } from '../testing/suite-stack.js';
import { MATRIX_ARROW_BATCH_ROWS } from './kill-points.js';

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
  const suite = await startSuiteStack({
    prefix: 'kill-matrix',
    repoRoot: options.repoRoot,
    rowsPerTable: options.seededRows,
    serviceEnv: MATRIX_ENV,
  });
  const stack = suite.demo;
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
    return suite.launch(name, {
      ...extraEnv,
      ...(rule === undefined ? {} : { [FAULT_INJECTION_VARIABLE]: rule }),
    });
  };
  // Small Arrow batches, so the matrix can kill the extractor inside a Storage Read.
  stack.cloud.bigquery.storage.setBatchRows(MATRIX_ARROW_BATCH_ROWS);
  return {
    demo: stack,
    sftp: suite.sftp,
    tap: suite.tap,
    workDir: suite.workDir,
    process: suite.process,
    restart: async (name, rule, extraEnv) => {
      await suite.process(name).stop();
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
      (await readFile(suite.process(name).logFile)).subarray(logStart.get(name) ?? 0).toString('utf8'),
    stop: suite.stop,
  };
}
