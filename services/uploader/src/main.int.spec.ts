import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { ensureTopology, LOCAL_PROJECT_ID } from '@bq-sftp-export/cloud';
import {
  decodeMessage,
  encodeMessage,
  Topics,
  topologyOf,
  type ExportEvent,
} from '@bq-sftp-export/contracts';
import { clientOptions as gcsClientOptions, startLocalGcs, type LocalGcs } from '@bq-sftp-export/local-gcs';
import {
  clientOptions as pubsubClientOptions,
  startLocalPubSub,
  type LocalPubSub,
} from '@bq-sftp-export/local-pubsub';
import {
  pollUntil,
  randomBytesFile,
  sha256File,
  startOpenSshServer,
  type OpenSshServer,
} from '@bq-sftp-export/testing';
import { PubSub } from '@google-cloud/pubsub';
import { generateKey } from 'openpgp';
import { Storage } from '@google-cloud/storage';

import {
  fileReadyFor,
  stagedRef,
  stagingBucket,
  testConfigText,
} from './application/testing/deliver-file-kit.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '..');
const buildDir = path.join(packageDir, 'node_modules/.cache/uploader-process-int');
const MiB = 1024 * 1024;
const fileReadySubscription = topologyOf(Topics.fileReady).subscription;
const fileSize = 100 * MiB;

interface Service {
  readonly child: ChildProcess;
  readonly logs: Array<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** How these tests wait (`pollUntil(check, { describe, ...WAIT })`): 120 s, polled every 20 ms. */
const WAIT = { timeoutMs: 120_000, intervalMs: 20 } as const;

describe('the built uploader as a process', () => {
  let pubsubServer: LocalPubSub;
  let gcs: LocalGcs;
  let sftp: OpenSshServer;
  let pubsub: PubSub;
  let storage: Storage;
  let workDir: string;
  let inbox: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // The child runs the compiled service, as the container does (`node dist/main.js`); the
    // workspace packages it imports are built by turbo (`test:int` depends on `^build`).
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const building = promisify(execFile)(process.execPath, [
      tsc,
      '-p',
      path.join(packageDir, 'tsconfig.build.json'),
      '--outDir',
      buildDir,
      '--declaration',
      'false',
      '--declarationMap',
      'false',
      '--sourceMap',
      'false',
    ]);
    [pubsubServer, gcs, sftp] = await Promise.all([
      startLocalPubSub({ port: 0, minDeadlineSeconds: 1 }),
      startLocalGcs(),
      startOpenSshServer(),
    ]);
    pubsub = new PubSub(pubsubClientOptions(pubsubServer.host, LOCAL_PROJECT_ID));
    storage = new Storage(gcsClientOptions(gcs.endpoint));
    await ensureTopology(pubsub, undefined, {
      ackDeadlineSeconds: 10,
      minimumBackoffSeconds: 1,
      maximumBackoffSeconds: 2,
    });
    await storage.createBucket(stagingBucket);
    workDir = await mkdtemp(path.join(tmpdir(), 'bqx-uploader-process-'));
    await mkdir(path.join(workDir, 'configs'));
    await writeFile(path.join(workDir, 'configs', 'default.json'), testConfigText({}, sftp.root));
    inbox = path.join(sftp.root, 'inbox');
    await mkdir(inbox);
    await chmod(inbox, 0o777);
    await building;
  }, 180_000);

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await pubsub?.close();
    await pubsubServer?.stop();
    await gcs?.stop();
    await sftp?.stop();
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  function startUploader(overrides: Readonly<Record<string, string>> = {}): Service {
    const child = spawn(process.execPath, [path.join(buildDir, 'main.js')], {
      cwd: workDir,
      env: {
        PATH: process.env['PATH'] ?? '',
        PUBSUB_EMULATOR_HOST: pubsubServer.emulatorHost,
        STORAGE_EMULATOR_HOST: gcs.endpoint,
        CONFIG_SOURCE: path.join(workDir, 'configs'),
        STAGING_BUCKET: stagingBucket,
        SFTP_HOST: sftp.host,
        SFTP_PORT: String(sftp.port),
        SFTP_USERNAME: sftp.username,
        SFTP_PASSWORD: sftp.password ?? '',
        SFTP_HOST_KEY_FINGERPRINTS: sftp.hostKeyFingerprint,
        DELIVERY_CLAIM_TTL_SECONDS: '3',
        PORT: '0',
        SHUTDOWN_BUDGET_MS: '2000',
        ...overrides,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const logs: Array<Record<string, unknown>> = [];
    let pending = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines)
        if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => logs.push({ stderr: chunk }));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, logs, exited };
  }

  const logged = (service: Service, message: string) =>
    service.logs.find((entry) => entry['message'] === message);

  /** Waits for a log line of a running service; fails at once, with its logs, if it exits. */
  function waitForLog(service: Service, message: string, timeoutMs: number = WAIT.timeoutMs) {
    return pollUntil(
      () => {
        if (service.child.exitCode !== null || service.child.signalCode !== null) {
          throw new Error(
            `the uploader exited:\n${service.logs.map((entry) => JSON.stringify(entry)).join('\n')}`,
          );
        }
        return logged(service, message);
      },
      { describe: `"${message}"`, ...WAIT, timeoutMs },
    );
  }

  function exportEvents(): ExportEvent[] {
    return pubsubServer
      .published(Topics.exportEvents)
      .map((message) => decodeMessage('export.events', message.data, message.attributes));
  }

  it('killed mid-transfer, then started again: exactly one complete file, never a partial one at the final name', async () => {
    // Stage a 100 MiB file.
    const source = path.join(workDir, 'staged.bin');
    await randomBytesFile(source, fileSize);
    const sha256 = await sha256File(source);
    const fileName = 'BIG_20261126_050000.csv';
    const ref = stagedRef('run-process-1', fileName);
    await storage.bucket(ref.bucket).upload(source, { destination: ref.name, resumable: true });
    const [metadata] = await storage.bucket(ref.bucket).file(ref.name).getMetadata();
    const file = {
      ...fileReadyFor(ref, String(metadata.generation), '', {
        runId: 'run-process-1',
        fileName,
        remoteDirectory: inbox,
      }),
      byteSize: fileSize,
      sha256,
    };

    const first = startUploader();
    await waitForLog(first, 'service started');
    const cryptoLine = first.logs.find((entry) =>
      String(entry['message']).startsWith('ssh2 native crypto binding'),
    );
    expect(cryptoLine?.['severity']).toMatch(/^(INFO|WARNING)$/);
    await pubsub.topic(Topics.fileReady).publishMessage(encodeMessage('file.ready', file));

    // Mid-transfer: the temporary file has some bytes. Freeze the server's session so the
    // transfer cannot finish, kill the uploader outright, then let the server notice.
    const partial = path.join(inbox, `.${fileName}.part`);
    await pollUntil(async () => (existsSync(partial) && (await stat(partial)).size > 0 ? true : undefined), {
      describe: 'the upload to start',
      ...WAIT,
    });
    await sftp.freezeConnections();
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await sftp.thawConnections();
    await sftp.dropConnections();
    expect(existsSync(path.join(inbox, fileName))).toBe(false);
    expect((await stat(partial)).size).toBeLessThan(fileSize);

    // Redelivered to a new process: delivered once, in full.
    const second = startUploader();
    await waitForLog(second, 'file delivered', 150_000);
    await pollUntil(() => (pubsubServer.outstanding(fileReadySubscription).length === 0 ? true : undefined), {
      describe: 'the ack',
      ...WAIT,
    });

    expect(await readdir(inbox)).toEqual([fileName]);
    expect((await stat(path.join(inbox, fileName))).size).toBe(fileSize);
    expect(await sha256File(path.join(inbox, fileName))).toBe(sha256);
    const delivered = exportEvents().filter((event) => event.type === 'upload.delivered');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ byteSize: fileSize, sha256, fileName });
    expect(gcs.listObjects(stagingBucket).map((object) => object.name)).toContain(
      `ledger/default/shopify_customers/run-process-1/${fileName}/${sha256}.json`,
    );
    expect(pubsubServer.deadLettered(fileReadySubscription)).toEqual([]);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 300_000);

  it('refuses to start when a config has an unusable OpenPGP key, naming the config and field', async () => {
    const expired = await generateKey({
      type: 'curve25519',
      userIDs: [{ email: 'old@example.test' }],
      date: new Date(Date.now() - 7200_000),
      keyExpirationTime: 60,
    });
    const configs = path.join(workDir, 'pgp-configs');
    await mkdir(configs);
    const config = JSON.parse(
      testConfigText({ pgp: { recipients: [{ public_key_env: 'PARTNER_PGP_KEY' }] } }, sftp.root),
    ) as { exports: Array<Record<string, unknown>> };
    config.exports[0]!['destination'] = 'partner';
    await writeFile(path.join(configs, 'default.json'), JSON.stringify(config));
    const uploader = startUploader({
      CONFIG_SOURCE: configs,
      PARTNER_KEY: 'unused',
      PARTNER_PASSPHRASE: 'unused',
      PARTNER_PGP_KEY: expired.publicKey,
    });
    const { code } = await uploader.exited;
    expect(code).not.toBe(0);
    const text = uploader.logs.map((entry) => JSON.stringify(entry)).join('\n');
    expect(text).toContain('PGP_KEY_INVALID');
    expect(text).toMatch(
      /config \\"default\\": destinations\.partner\.pgp\.recipients\[0\]\.public_key_env: key [0-9A-F]{40}/,
    );
    expect(text).not.toContain('BEGIN PGP');
    expect(logged(uploader, 'service started')).toBeUndefined();
  }, 60_000);
});
