import { BigQuery } from '@google-cloud/bigquery';
import { Storage } from '@google-cloud/storage';
import { GcsBlobStore } from '@bq-sftp-export/cloud';
import {
  clientOptions as bigQueryOptions,
  startLocalBigQuery,
  type LocalBigQuery,
} from '@bq-sftp-export/local-bigquery';
import { clientOptions as gcsOptions, startLocalGcs, type LocalGcs } from '@bq-sftp-export/local-gcs';

import { BigQueryRowSource } from '../adapters/bigquery-row-source.adapter.js';
import { createReadClient, type BigQueryReadClient } from '../adapters/storage-read.js';
import { HandlerFixture, STAGING_BUCKET } from './handler-fixture.js';

/** How the fixture's row source reads query results: REST pages, or the Storage Read API (Arrow). */
export type ReadPath = 'rest' | 'storage';

/**
 * The local cloud's BigQuery (two rows per result page / Arrow batch and two read streams, so
 * every export pages) and Cloud Storage with the real client libraries, and the handler wired
 * to them (events and file.ready recorded in memory). `readPath: 'storage'` reads every
 * result (threshold 0) over the Storage Read API.
 */
export class LocalCloud {
  private constructor(
    readonly bigQueryServer: LocalBigQuery,
    readonly gcsServer: LocalGcs,
    readonly bigquery: BigQuery,
    readonly storage: Storage,
    readonly readPath: ReadPath,
    readonly readClient: BigQueryReadClient,
  ) {}

  static async start(options: { readPath?: ReadPath } = {}): Promise<LocalCloud> {
    const bigQueryServer = await startLocalBigQuery({
      projectId: 'local-project',
      pageRows: 2,
      storage: { batchRows: 2 },
    });
    const gcsServer = await startLocalGcs();
    const bigquery = new BigQuery(bigQueryOptions(bigQueryServer.endpoint, bigQueryServer.projectId));
    const storage = new Storage(gcsOptions(gcsServer.endpoint));
    await storage.createBucket(STAGING_BUCKET);
    const readClient = createReadClient(bigQueryServer.storageHost, bigQueryServer.projectId);
    return new LocalCloud(
      bigQueryServer,
      gcsServer,
      bigquery,
      storage,
      options.readPath ?? 'rest',
      readClient,
    );
  }

  /** A handler on the real clients; `now` is the run clock (it may run ahead of the wall clock). */
  fixture(options: { now?: Date } = {}): HandlerFixture {
    const storage =
      this.readPath === 'storage'
        ? { client: this.readClient, minRows: 0, maxStreams: 2, idleTimeoutMs: 5000 }
        : undefined;
    return new HandlerFixture(new BigQueryRowSource(this.bigquery, { pageRows: 2, storage }), {
      ...(options.now === undefined ? {} : { now: options.now }),
      store: new GcsBlobStore(this.storage),
    });
  }

  async objectNames(prefix = ''): Promise<string[]> {
    const [files] = await this.storage.bucket(STAGING_BUCKET).getFiles({ prefix });
    return files.map((file) => file.name).sort();
  }

  async read(uri: string): Promise<Buffer> {
    const name = uri.slice(`gs://${STAGING_BUCKET}/`.length);
    const [content] = await this.storage.bucket(STAGING_BUCKET).file(name).download();
    return content;
  }

  async stop(): Promise<void> {
    await this.readClient.close();
    await this.bigQueryServer.stop();
    await this.gcsServer.stop();
  }
}
