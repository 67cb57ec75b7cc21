import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureTopology, formatGcsUri } from '@bq-sftp-export/cloud';
import {
  decodeMessage,
  deterministicEventId,
  encodeMessage,
  Topics,
  type FileReady,
} from '@bq-sftp-export/contracts';
import { clientOptions as gcsOptions, startLocalGcs } from '@bq-sftp-export/local-gcs';
import { clientOptions as pubsubOptions, startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import { pollUntil, startOpenSshServer } from '@bq-sftp-export/testing';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';

import { argNumber, argString, argValue } from './args.js';

export interface EventLatencyResult {
  /** Milliseconds from `file.ready` published to `upload.delivered` published (the broker's publish times). */
  readonly latenciesMs: number[];
  readonly fileBytes: number;
  /** The uploader's `TRACE_EXPORTER` for this run (`file`: every span to a JSON-lines file, sample ratio 1). */
  readonly trace: 'none' | 'file';
  /** Spans the uploader wrote (`file` only), so a run that traced nothing is not taken for cheap tracing. */
  readonly spans: number;
}

const bucket = 'bqx-staging';
const exportName = 'bench_customers';

/** The built uploader service (`dist/main.js` beside the package entry point). */
const uploaderMain = path.join(
  path.dirname(fileURLToPath(import.meta.resolve('@bq-sftp-export/uploader'))),
  'main.js',
);

/** Every 5 ms: the latency is taken from the broker's publish times, so polling only bounds the run's length. */
const WAIT = { timeoutMs: 60_000, intervalMs: 5 } as const;

/**
 * Event latency of the uploader as a process (its `main.js`, on the local Pub/Sub, local Cloud
 * Storage and a real OpenSSH server): `--files` small files (`--bytes` each) are staged and
 * announced one at a time; each latency runs from the `file.ready` publish to the
 * `upload.delivered` publish.
 */
export async function eventLatencyWorker(args: readonly string[]): Promise<EventLatencyResult> {
  const trace = argValue(args, 'trace') ?? 'none';
  if (trace !== 'none' && trace !== 'file') throw new Error(`--trace must be none or file, got ${trace}`);
  const files = argNumber(args, 'files');
  const bytes = argNumber(args, 'bytes');
  const workDir = await mkdtemp(path.join(argString(args, 'dir'), 'latency-'));
  const [broker, gcs, sftp] = await Promise.all([
    startLocalPubSub({ port: 0 }),
    startLocalGcs(),
    startOpenSshServer({ baseDir: argString(args, 'server-dir') }),
  ]);
  // Offline clients: no Google auth, no metadata-server lookups.
  const pubsub = new PubSub(pubsubOptions(broker.emulatorHost));
  const storage = new Storage(gcsOptions(gcs.endpoint));
  const service = { child: undefined as ReturnType<typeof spawn> | undefined, log: '' };
  try {
    await ensureTopology(pubsub);
    await storage.createBucket(bucket);
    const inbox = path.join(sftp.root, 'inbox');
    await mkdir(inbox);
    await chmod(inbox, 0o777);
    await mkdir(path.join(workDir, 'configs'));
    await writeFile(
      path.join(workDir, 'configs', 'default.json'),
      JSON.stringify({
        metadata_table: 'ops.export_history',
        sftp: { path: inbox, port: 22, create_directory: true },
        exports: [
          {
            name: exportName,
            source_table: 'bench.customers',
            destination_filename: 'CUSTOMERS_{datetime}.csv',
            columns: ['id'],
          },
        ],
      }),
    );
    service.child = spawn(process.execPath, [uploaderMain], {
      cwd: workDir,
      env: {
        PATH: process.env['PATH'] ?? '',
        PUBSUB_EMULATOR_HOST: broker.emulatorHost,
        STORAGE_EMULATOR_HOST: gcs.endpoint,
        // The delivery ledger and upload claims live in the staging bucket.
        STAGING_BUCKET: bucket,
        CONFIG_SOURCE: path.join(workDir, 'configs'),
        SFTP_HOST: sftp.host,
        SFTP_PORT: String(sftp.port),
        SFTP_USERNAME: sftp.username,
        SFTP_PASSWORD: sftp.password ?? '',
        SFTP_HOST_KEY_FINGERPRINTS: sftp.hostKeyFingerprint,
        PORT: '0',
        ...(trace === 'file' && {
          TRACE_EXPORTER: 'file',
          TRACE_FILE: path.join(workDir, 'spans.jsonl'),
          TRACE_SAMPLE_RATIO: '1',
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (service.log += chunk));
    service.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (service.log += chunk));
    await pollUntil(
      () => {
        if (service.child?.exitCode != null) throw new Error(`the uploader exited:\n${service.log}`);
        return service.log.includes('"service started"') ? true : undefined;
      },
      { describe: 'the uploader to start', ...WAIT },
    );

    const latenciesMs: number[] = [];
    const content = Buffer.alloc(bytes, 'id\n1\n');
    const sha256 = createHash('sha256').update(content).digest('hex');
    for (let i = 0; i < files; i++) {
      const runId = `run-bench-${i}`;
      const fileName = `CUSTOMERS_${String(i).padStart(4, '0')}.csv`;
      const ref = { bucket, name: `exports/default/${exportName}/${runId}/${fileName}` };
      const file = storage.bucket(bucket).file(ref.name);
      await file.save(content, { resumable: false });
      const [metadata] = await file.getMetadata();
      const ready: FileReady = {
        schemaVersion: 1,
        eventId: deterministicEventId(runId, 'file.ready', fileName),
        runId,
        exportName,
        configName: 'default',
        sourceTable: 'bench.customers',
        gcs: {
          uri: formatGcsUri(ref),
          generation: String(metadata.generation),
          crc32c: String(metadata.crc32c),
        },
        byteSize: bytes,
        sha256,
        rowCount: 1,
        format: 'csv',
        compression: 'none',
        destination: 'default',
        remoteDirectory: inbox,
        fileName,
        window: { low: '2026-11-25T05:00:00Z', high: '2026-11-26T05:00:00Z' },
        mode: 'incremental',
        createdAt: new Date().toISOString(),
      };
      await pubsub.topic(Topics.fileReady).publishMessage(encodeMessage('file.ready', ready));
      const delivered = await pollUntil(
        () => {
          if (service.child?.exitCode != null) throw new Error(`the uploader exited:\n${service.log}`);
          return broker.published(Topics.exportEvents).find((message) => {
            const event = decodeMessage('export.events', message.data, message.attributes);
            return event.type === 'upload.delivered' && event.runId === runId;
          });
        },
        { describe: `upload.delivered of ${fileName}`, ...WAIT },
      );
      const sent = broker.published(Topics.fileReady).find((message) => message.data.includes(runId));
      if (sent === undefined) throw new Error('the file.ready message is not in the broker');
      latenciesMs.push(delivered.publishTime.getTime() - sent.publishTime.getTime());
    }
    let spans = 0;
    if (trace === 'file') {
      // The uploader flushes its spans as it shuts down: count them once it has exited.
      const child = service.child;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.exitCode === null) child.kill('SIGTERM');
      else throw new Error(`the uploader exited:\n${service.log}`);
      await exited;
      spans = (await readFile(path.join(workDir, 'spans.jsonl'), 'utf8')).split('\n').filter(Boolean).length;
    }
    return { latenciesMs, fileBytes: bytes, trace, spans };
  } finally {
    service.child?.kill('SIGTERM');
    await pubsub.close();
    await broker.stop();
    await gcs.stop();
    await sftp.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
