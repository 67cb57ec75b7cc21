import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { GoogleClients } from '@bq-sftp-export/cloud';
import { createConfigSource, loadExportConfig } from '@bq-sftp-export/config';
import type { ExportConfig } from '@bq-sftp-export/config';
import { googleClientsFromEnv, setUpLocalCloud, startLocalCloud } from '@bq-sftp-export/local-cloud';
import type { LocalCloud, SetUpReport } from '@bq-sftp-export/local-cloud';

import { demoConfig } from '../config/demo-config.js';
import { SERVICE_NAMES, startService } from './service-process.js';
import type { ServiceProcess } from './service-process.js';

/** The config the demo writes and requests. */
export const DEMO_CONFIG_NAME = 'default';

/** An SFTP server other than the local cloud's own (the e2e tests use a real OpenSSH server). */
export interface SftpServerOverride {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly hostKeyFingerprint: string;
  /** The directory of this machine that SFTP sessions start in. */
  readonly root: string;
}

export interface DemoStackOptions {
  readonly repoRoot: string;
  /** Holds `configs/`, `logs/` and, with `persistent`, the local cloud's state. */
  readonly directory: string;
  /** Keep the local cloud's state on disk under `directory` (the demo); else in memory (tests). */
  readonly persistent: boolean;
  readonly rowsPerTable?: number;
  readonly sftp?: SftpServerOverride;
  /** Short Pub/Sub retry backoffs (1-2 s) and ack deadlines, so failure tests do not wait minutes. */
  readonly fastRetries?: boolean;
  /**
   * The services' `LOG_LEVEL` (default info). No higher: the stack knows a service is ready
   * from its info-level `service started` line.
   */
  readonly logLevel?: 'trace' | 'debug' | 'info';
}

/** The local cloud, set up and seeded, with the three services running against it. */
export interface DemoStack {
  readonly cloud: LocalCloud;
  readonly setUp: SetUpReport;
  readonly config: ExportConfig;
  readonly configDirectory: string;
  readonly logDirectory: string;
  /** The services' spans, one JSON line each (`TRACE_EXPORTER=file`), all three services in one file. */
  readonly traceFile: string;
  /** The seed `sftp` block's `path` as the services use it, and the directory of this machine it is. */
  readonly remoteDirectory: string;
  readonly deliveryDirectory: string;
  /** What the services (and `bq-sftp`) get as their environment, besides `PATH`. */
  readonly env: Readonly<Record<string, string>>;
  /** Clients for this stack, for the caller's own publishing and queries. */
  readonly clients: GoogleClients;
  services(): readonly ServiceProcess[];
  startServices(): Promise<void>;
  stopServices(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the local cloud, writes the demo config (`configs/default.json` of the repository plus
 * the local sinks, see `demoConfig`), creates the topology, the staging bucket and the seed
 * tables, and starts extractor, uploader and tracker-notifier as child processes.
 */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const configDirectory = path.join(options.directory, 'configs');
  const logDirectory = path.join(options.directory, 'logs');
  const traceFile = path.join(options.directory, 'traces.jsonl');
  await mkdir(configDirectory, { recursive: true });
  const cloud = await startLocalCloud({
    ...(options.persistent ? { directory: options.directory } : {}),
    ...(options.fastRetries === true ? { pubsubMinDeadlineSeconds: 1 } : {}),
  });
  let services: ServiceProcess[] = [];
  let clients: GoogleClients | undefined;
  try {
    const seed = JSON.parse(
      await readFile(path.join(options.repoRoot, 'configs', 'default.json'), 'utf8'),
    ) as Record<string, unknown>;
    const seedPath = (seed['sftp'] as { path?: unknown } | undefined)?.path;
    const sftpRemote = typeof seedPath === 'string' ? seedPath : '/';
    const sftpRoot = options.sftp?.root ?? cloud.sftp.root;
    // The local cloud's server is jailed in its root; OpenSSH is not, so the path goes inside its root.
    const deliveryDirectory = path.join(sftpRoot, sftpRemote);
    const config = demoConfig(seed, {
      projectId: cloud.projectId,
      smtpHost: cloud.smtp.host,
      smtpPort: cloud.smtp.port,
      ...(options.sftp === undefined ? {} : { sftpPath: deliveryDirectory }),
    });
    await writeFile(
      path.join(configDirectory, `${DEMO_CONFIG_NAME}.json`),
      `${JSON.stringify(config, null, 2)}\n`,
    );
    await mkdir(deliveryDirectory, { recursive: true });
    await chmod(deliveryDirectory, 0o777);

    const sftp = options.sftp ?? cloud.sftp;
    const env: Record<string, string> = {
      ...cloud.env(),
      SFTP_HOST: sftp.host,
      SFTP_PORT: String(sftp.port),
      SFTP_USERNAME: sftp.username,
      SFTP_PASSWORD: sftp.password,
      SFTP_HOST_KEY_FINGERPRINTS: sftp.hostKeyFingerprint,
      CONFIG_SOURCE: configDirectory,
      LOG_LEVEL: options.logLevel ?? 'info',
      PORT: '0',
      TRACE_EXPORTER: 'file',
      TRACE_FILE: traceFile,
    };
    const setUp = await setUpLocalCloud(
      { env: () => env },
      {
        seed: true,
        configDir: configDirectory,
        configName: DEMO_CONFIG_NAME,
        ...(options.rowsPerTable === undefined ? {} : { rowsPerTable: options.rowsPerTable }),
        ...(options.fastRetries === true
          ? { topology: { ackDeadlineSeconds: 10, minimumBackoffSeconds: 1, maximumBackoffSeconds: 2 } }
          : {}),
      },
    );
    const loaded = await loadExportConfig(createConfigSource(configDirectory), DEMO_CONFIG_NAME);
    clients = googleClientsFromEnv(env);
    const serviceEnv = { PATH: process.env['PATH'] ?? '', ...env };
    const startServices = async (): Promise<void> => {
      services = [];
      for (const name of SERVICE_NAMES) {
        services.push(
          await startService(name, { repoRoot: options.repoRoot, env: serviceEnv, logDirectory }),
        );
      }
      await Promise.all(services.map((service) => service.started));
    };
    const stopServices = async (): Promise<void> => {
      await Promise.all(services.map((service) => service.stop()));
    };
    await startServices();
    const ownClients = clients;
    return {
      cloud,
      setUp,
      config: loaded,
      configDirectory,
      logDirectory,
      traceFile,
      remoteDirectory: options.sftp === undefined ? sftpRemote : deliveryDirectory,
      deliveryDirectory,
      env,
      clients: ownClients,
      services: () => services,
      startServices,
      stopServices,
      stop: async () => {
        await stopServices();
        await ownClients.pubsub.close();
        await cloud.stop();
      },
    };
  } catch (error) {
    await Promise.all(services.map((service) => service.stop()));
    await clients?.pubsub.close();
    await cloud.stop();
    throw error;
  }
}
