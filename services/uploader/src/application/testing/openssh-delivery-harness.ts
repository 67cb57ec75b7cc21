import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';

import { GcsBlobStore } from '@bq-sftp-export/cloud';
import { RecordingPublisher } from '@bq-sftp-export/cloud/testing';
import type { FileReady } from '@bq-sftp-export/contracts';
import { clientOptions, startLocalGcs, type LocalGcs } from '@bq-sftp-export/local-gcs';
import { createLogger, LogCapture } from '@bq-sftp-export/runtime';
import {
  generateSshKey,
  startOpenSshServer,
  type OpenSshServer,
  type SshKeyPair,
} from '@bq-sftp-export/testing';
import { Storage } from '@google-cloud/storage';

import { PgpFileTransfer } from '../../adapters/pgp/pgp-file-transfer.js';
import { SftpFileTransfer } from '../../adapters/sftp/sftp-file-transfer.adapter.js';
import type { FileTransfer, FileTransferRequest } from '../file-transfer.js';
import {
  buildHandler,
  fileReadyFor,
  MapConfigSource,
  stagedRef,
  stagingBucket,
  testConfigText,
  type HandlerSetup,
} from './deliver-file-kit.js';

export const harnessPassphrase = 'correct horse battery staple';

/** Counts (and names) the uploads that reach the real adapter. */
export class CountingTransfer implements FileTransfer {
  readonly fileNames: string[] = [];
  constructor(private readonly inner: FileTransfer) {}
  get uploads(): number {
    return this.fileNames.length;
  }
  upload(request: FileTransferRequest) {
    this.fileNames.push(request.fileName);
    return this.inner.upload(request);
  }
}

export interface HarnessSetup {
  readonly maxDeliveryAttempts?: number;
  readonly ledger?: HandlerSetup['ledger'];
  /** Fields added to the seed's `sftp` block (delivering to the server's root). */
  readonly sftp?: Readonly<Record<string, unknown>>;
  /** Fields added to the named destination `partner` (private key auth, the server's root). */
  readonly partner?: Readonly<Record<string, unknown>>;
}

/**
 * The uploader's handler against the local Cloud Storage and a real OpenSSH server: one server
 * and bucket per suite (`start`/`stop`), one fresh inbox directory per test (`nextInbox`).
 */
export class OpenSshDeliveryHarness {
  server!: OpenSshServer;
  gcs!: LocalGcs;
  storage!: Storage;
  key!: SshKeyPair;
  /** This test's directory on the server, writable by the SFTP user. */
  inbox = '';
  seq = 0;

  async start(): Promise<void> {
    this.key = await generateSshKey({ type: 'ed25519', passphrase: harnessPassphrase });
    [this.server, this.gcs] = await Promise.all([
      startOpenSshServer({ authorizedKeys: [this.key.publicKey] }),
      startLocalGcs(),
    ]);
    this.storage = new Storage(clientOptions(this.gcs.endpoint));
    await this.storage.createBucket(stagingBucket);
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.gcs?.stop();
  }

  async nextInbox(): Promise<void> {
    this.seq += 1;
    this.inbox = path.join(this.server.root, `inbox${this.seq}`);
    await mkdir(this.inbox);
    await chmod(this.inbox, 0o777);
  }

  setup(options: HarnessSetup = {}) {
    const { server } = this;
    const logs = new LogCapture();
    const logger = createLogger({ level: 'debug', name: 'uploader-int', destination: logs });
    // As `uploaderModule` binds it: destinations with `pgp` are encrypted on the way.
    const transfer = new CountingTransfer(new PgpFileTransfer(new SftpFileTransfer(logger)));
    const publisher = new RecordingPublisher();
    const { handler, logs: handlerLogs } = buildHandler({
      blobs: new GcsBlobStore(this.storage),
      publisher,
      ...(options.maxDeliveryAttempts === undefined
        ? {}
        : { maxDeliveryAttempts: options.maxDeliveryAttempts }),
      ...(options.ledger === undefined ? {} : { ledger: options.ledger }),
      transfer,
      configs: new MapConfigSource({
        default: testConfigText(
          {
            port: server.port,
            username: server.username,
            host_key_fingerprints: [server.hostKeyFingerprint],
            path: server.root,
            ...options.partner,
          },
          server.root,
          options.sftp,
        ),
      }),
      env: {
        SFTP_HOST: server.host,
        SFTP_PORT: String(server.port),
        SFTP_USERNAME: server.username,
        SFTP_PASSWORD: server.password ?? '',
        SFTP_HOST_KEY_FINGERPRINTS: server.hostKeyFingerprint,
        PARTNER_KEY: this.key.privateKey,
        PARTNER_PASSPHRASE: harnessPassphrase,
      },
    });
    return { handler, transfer, publisher, logs: handlerLogs, adapterLogs: logs };
  }

  /** Stages `content` in the local Cloud Storage and describes it, delivered into this test's inbox. */
  async stage(content: Buffer | string, overrides: Partial<FileReady> = {}): Promise<FileReady> {
    const fileName = overrides.fileName ?? `FILE_${this.seq}.csv`;
    const ref = stagedRef(overrides.runId ?? `run-${this.seq}`, fileName);
    const file = this.storage.bucket(ref.bucket).file(ref.name);
    await file.save(content, { resumable: false });
    const [metadata] = await file.getMetadata();
    return fileReadyFor(ref, String(metadata.generation), content, {
      runId: `run-${this.seq}`,
      fileName,
      remoteDirectory: this.inbox,
      ...overrides,
    });
  }

  /** This test's ledger records, claims left out (each test delivers its own run). */
  ledgerRecords(): string[] {
    return this.gcs
      .listObjects(stagingBucket)
      .map((object) => object.name)
      .filter((name) => name.startsWith(`ledger/default/shopify_customers/run-${this.seq}/`))
      .filter((name) => !name.endsWith('.claim.json'));
  }
}
