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
import { HandlerFixture, STAGING_BUCKET } from './handler-fixture.js';

/**
 * The local cloud's BigQuery (two rows per result page, so every export pages) and Cloud
 * Storage with the real client libraries, and the handler wired to them (events and
 * file.ready recorded in memory).
 */
export class LocalCloud {
  private constructor(
    readonly bigQueryServer: LocalBigQuery,
    readonly gcsServer: LocalGcs,
    readonly bigquery: BigQuery,
    readonly storage: Storage,
  ) {}

  static async start(): Promise<LocalCloud> {
    const bigQueryServer = await startLocalBigQuery({ projectId: 'local-project', pageRows: 2 });
    const gcsServer = await startLocalGcs();
    const bigquery = new BigQuery(bigQueryOptions(bigQueryServer.endpoint, bigQueryServer.projectId));
    const storage = new Storage(gcsOptions(gcsServer.endpoint));
    await storage.createBucket(STAGING_BUCKET);
    return new LocalCloud(bigQueryServer, gcsServer, bigquery, storage);
  }

  /** A handler on the real clients; `now` is the run clock (it may run ahead of the wall clock). */
  fixture(options: { now?: Date } = {}): HandlerFixture {
    return new HandlerFixture(new BigQueryRowSource(this.bigquery, { pageRows: 2 }), {
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
    await this.bigQueryServer.stop();
    await this.gcsServer.stop();
  }
}
