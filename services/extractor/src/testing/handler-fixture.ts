import {
  decodeMessage,
  type ExportEvent,
  type ExportRequestedInput,
  type FileReady,
} from '@bq-sftp-export/contracts';
import type { ConfigSource } from '@bq-sftp-export/config';
import type { BlobStore } from '@bq-sftp-export/cloud';
import { RecordingPublisher } from '@bq-sftp-export/cloud/testing';
import {
  AppError,
  createLogger,
  LogCapture,
  type Clock,
  type HandlerOutcome,
  type MessageContext,
} from '@bq-sftp-export/runtime';
import { exportRequestedV1Schema } from '@bq-sftp-export/contracts';

import { ExportRequestedHandler } from '../application/export-requested.handler.js';
import { ExportRunner } from '../application/export-runner.js';
import type { RowSource } from '../application/row-source.port.js';
import { ChecksummedBlobStore } from './checksummed-blob-store.js';

/** A clock the test moves. */
export class ManualClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return this.current;
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

/** Config files in memory, by name. */
export class MemoryConfigSource implements ConfigSource {
  readonly files = new Map<string, string>();
  set(name: string, config: unknown): void {
    this.files.set(name, JSON.stringify(config));
  }
  locate(name: string): string {
    return `memory:${name}.json`;
  }
  read(name: string): Promise<string> {
    const text = this.files.get(name);
    if (text === undefined) {
      return Promise.reject(
        new AppError(`config not found: ${name}`, { code: 'CONFIG_NOT_FOUND', retryable: false }),
      );
    }
    return Promise.resolve(text);
  }
}

export const STAGING_BUCKET = 'bqx-staging';

/** The handler wired to in-memory fakes, with helpers to send requests and read what went out. */
export class HandlerFixture {
  /** The in-memory store (used unless another store is given). */
  readonly memory = new ChecksummedBlobStore();
  readonly store: BlobStore;
  readonly publisher = new RecordingPublisher();
  readonly configs = new MemoryConfigSource();
  readonly logs = new LogCapture();
  readonly clock: ManualClock;
  readonly runner: ExportRunner;
  readonly handler: ExportRequestedHandler;
  private messageCounter = 0;

  constructor(
    readonly rows: RowSource,
    options: { now?: Date; leaseSeconds?: number; store?: BlobStore } = {},
  ) {
    this.store = options.store ?? this.memory;
    this.clock = new ManualClock(options.now ?? new Date('2026-11-26T12:00:00Z'));
    const settings = { stagingBucket: STAGING_BUCKET, leaseSeconds: options.leaseSeconds ?? 3600 };
    this.runner = new ExportRunner(this.store, this.publisher, rows, this.clock, settings);
    this.handler = new ExportRequestedHandler(
      this.configs,
      this.runner,
      settings,
      this.publisher,
      this.clock,
    );
  }

  context(overrides: Partial<MessageContext> = {}): MessageContext {
    return {
      messageId: `m-${++this.messageCounter}`,
      attributes: {},
      deliveryAttempt: 1,
      publishTime: this.clock.now(),
      signal: new AbortController().signal,
      logger: createLogger({ level: 'debug', name: 'extractor-test', destination: this.logs }),
      ...overrides,
    };
  }

  request(input: ExportRequestedInput, context: MessageContext = this.context()): Promise<HandlerOutcome> {
    return this.handler.handle(exportRequestedV1Schema.parse(input), context);
  }

  events(): ExportEvent[] {
    return this.publisher
      .on('export-events')
      .map((m) => decodeMessage('export.events', m.data, m.attributes));
  }

  eventTypes(): string[] {
    return this.events().map((event) => event.type);
  }

  fileReadies(): FileReady[] {
    return this.publisher.on('file-ready').map((m) => decodeMessage('file.ready', m.data, m.attributes));
  }

  /** The bytes of a staged file as text. */
  async text(uri: string): Promise<string> {
    const [, bucket = '', name = ''] = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri) ?? [];
    const chunks: Buffer[] = [];
    for await (const chunk of this.store.openRead({ bucket, name })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async checkpoint(configName: string, exportName: string): Promise<Record<string, unknown> | undefined> {
    const stored = await this.store.readJson({
      bucket: STAGING_BUCKET,
      name: `checkpoints/${configName}/${exportName}.json`,
    });
    return stored?.value as Record<string, unknown> | undefined;
  }

  async json(name: string): Promise<unknown> {
    return (await this.store.readJson({ bucket: STAGING_BUCKET, name }))?.value;
  }
}
