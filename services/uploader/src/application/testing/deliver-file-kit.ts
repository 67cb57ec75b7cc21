import { createHash } from 'node:crypto';

import { formatGcsUri, type BlobRef, type BlobStore, type MessagePublisher } from '@bq-sftp-export/cloud';
import type { InMemoryBlobStore, RecordingPublisher } from '@bq-sftp-export/cloud/testing';
import { CONFIG_NOT_FOUND, parseEnvironment, type ConfigSource } from '@bq-sftp-export/config';
import {
  decodeMessage,
  deterministicEventId,
  MAX_DELIVERY_ATTEMPTS,
  type ExportEvent,
  type FileReady,
} from '@bq-sftp-export/contracts';
import { AppError, createLogger, LogCapture, type Clock, type MessageContext } from '@bq-sftp-export/runtime';

import { DeliverFileHandler } from '../deliver-file.handler.js';
import { DeliveryLedger, type DeliveryLedgerOptions } from '../delivery-ledger.js';
import { ConfiguredDestinationResolver } from '../destination-resolver.js';
import { CachedExportConfigProvider } from '../export-config-provider.js';
import { ExportEventPublisher } from '../export-event-publisher.js';
import type { FileTransfer } from '../file-transfer.js';
import { ManifestWriter } from '../manifest-writer.js';

export const stagingBucket = 'bqx-staging';

/** A config source over a map of config texts. */
export class MapConfigSource implements ConfigSource {
  readonly reads: string[] = [];
  constructor(private readonly texts: Record<string, string>) {}
  read(name: string): Promise<string> {
    this.reads.push(name);
    const text = this.texts[name];
    return text === undefined
      ? Promise.reject(
          new AppError(`config not found: ${name}`, { code: CONFIG_NOT_FOUND, retryable: false }),
        )
      : Promise.resolve(text);
  }
  locate(name: string): string {
    return `memory:${name}.json`;
  }
}

/**
 * The seed's shape: one export to the `sftp` block, plus a named destination `partner` with a
 * private key (fields of `partner` replaced by `partnerOverrides`). `sftpPath` is the `sftp`
 * block's path: events must deliver inside it; `sftpOverrides` adds fields to that block.
 */
export function testConfigText(
  partnerOverrides: Readonly<Record<string, unknown>> = {},
  sftpPath = '/To_Verite',
  sftpOverrides: Readonly<Record<string, unknown>> = {},
): string {
  return JSON.stringify({
    metadata_table: 'ops.export_history',
    sftp: { path: sftpPath, port: 22, create_directory: true, ...sftpOverrides },
    destinations: {
      partner: {
        host: '127.0.0.1',
        username: 'partner',
        auth: { method: 'private_key', private_key_env: 'PARTNER_KEY', passphrase_env: 'PARTNER_PASSPHRASE' },
        path: '/in',
        create_directory: true,
        ...partnerOverrides,
      },
    },
    exports: [
      {
        name: 'shopify_customers',
        source_table: 'prod_staging.shopify_customerdata',
        destination_filename: 'SHOPIFYCUSTOMERDATA_{datetime}.csv',
        columns: ['id', 'email'],
      },
    ],
  });
}

/** A clock that moves one second per reading. */
export function steppingClock(start = Date.parse('2026-11-26T05:00:00Z')): Clock {
  let now = start;
  return {
    now: () => {
      now += 1000;
      return new Date(now);
    },
  };
}

export function sha256Of(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Where a test's file is staged: `exports/default/shopify_customers/<runId>/<fileName>`. */
export function stagedRef(runId: string, fileName: string): BlobRef {
  return { bucket: stagingBucket, name: `exports/default/shopify_customers/${runId}/${fileName}` };
}

export const defaultRunId = 'run-20261126T050000Z-1';
export const defaultFileName = 'SHOPIFYCUSTOMERDATA_20261126_050000.csv';

/** The `file.ready` for `content` staged at `ref` with `generation`. */
export function fileReadyFor(
  ref: BlobRef,
  generation: string,
  content: Buffer | string,
  overrides: Partial<FileReady> = {},
): FileReady {
  const runId = overrides.runId ?? defaultRunId;
  const fileName = overrides.fileName ?? defaultFileName;
  return {
    schemaVersion: 1,
    eventId: deterministicEventId(runId, 'file.ready', fileName),
    runId,
    exportName: 'shopify_customers',
    configName: 'default',
    sourceTable: 'prod_staging.shopify_customerdata',
    gcs: { uri: formatGcsUri(ref), generation, crc32c: 'AAAAAA==' },
    byteSize: Buffer.byteLength(content),
    sha256: sha256Of(content),
    rowCount: 2,
    format: 'csv',
    compression: 'none',
    destination: 'default',
    remoteDirectory: '/To_Verite',
    fileName,
    window: { low: '2026-11-25T05:00:00Z', high: '2026-11-26T05:00:00Z' },
    mode: 'incremental',
    createdAt: '2026-11-26T05:00:10Z',
    ...overrides,
  };
}

/** Stages `content` in the in-memory blob store and describes it in a `file.ready`. */
export function stageFile(
  blobs: InMemoryBlobStore,
  content: Buffer | string,
  overrides: Partial<FileReady> = {},
): FileReady {
  const ref = stagedRef(overrides.runId ?? defaultRunId, overrides.fileName ?? defaultFileName);
  return fileReadyFor(ref, blobs.put(ref, content).generation, content, overrides);
}

/** A resend of `file`: a new event id, `resendOf` the original. */
export function resendOf(file: FileReady, resendId: string): FileReady {
  return {
    ...file,
    eventId: deterministicEventId(file.eventId, 'resend', resendId),
    resendOf: file.eventId,
    resendId,
  };
}

export interface HandlerSetup {
  readonly blobs: BlobStore;
  readonly publisher: MessagePublisher;
  readonly transfer: FileTransfer;
  readonly env?: Readonly<Record<string, string>>;
  readonly configs?: ConfigSource;
  readonly clock?: Clock;
  readonly ledger?: DeliveryLedgerOptions;
  readonly maxDeliveryAttempts?: number;
}

/** The handler wired as the service wires it, with the given edges. */
export function buildHandler(setup: HandlerSetup): { handler: DeliverFileHandler; logs: LogCapture } {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', name: 'uploader-test', destination: logs });
  const clock = setup.clock ?? steppingClock();
  const configs = new CachedExportConfigProvider(
    setup.configs ?? new MapConfigSource({ default: testConfigText() }),
    clock,
  );
  const environment = parseEnvironment({
    SFTP_HOST: '127.0.0.1',
    SFTP_USERNAME: 'verite',
    SFTP_PASSWORD: 'pw-secret-1',
    SFTP_HOST_KEY_FINGERPRINTS: `SHA256:${'A'.repeat(43)}`,
    STAGING_BUCKET: stagingBucket,
    ...setup.env,
  });
  const ledger = new DeliveryLedger(setup.blobs, clock, logger, setup.ledger);
  const handler = new DeliverFileHandler(
    ledger,
    new ConfiguredDestinationResolver(configs, environment),
    setup.blobs,
    setup.transfer,
    new ManifestWriter(setup.transfer, ledger, clock),
    new ExportEventPublisher(setup.publisher),
    clock,
    { maxDeliveryAttempts: setup.maxDeliveryAttempts ?? MAX_DELIVERY_ATTEMPTS },
  );
  return { handler, logs };
}

/** A handler context for one delivery. */
export function contextFor(
  logs: LogCapture,
  options: { deliveryAttempt?: number; signal?: AbortSignal; messageId?: string } = {},
): MessageContext {
  return {
    messageId: options.messageId ?? '1',
    attributes: {},
    deliveryAttempt: options.deliveryAttempt ?? 1,
    publishTime: new Date('2026-11-26T05:00:11Z'),
    signal: options.signal ?? new AbortController().signal,
    logger: createLogger({ level: 'debug', name: 'uploader-test', destination: logs }),
  };
}

/** The export events a recording publisher saw, decoded. */
export function publishedEvents(publisher: RecordingPublisher): ExportEvent[] {
  return publisher
    .on('export-events')
    .map((message) => decodeMessage('export.events', message.data, message.attributes));
}
