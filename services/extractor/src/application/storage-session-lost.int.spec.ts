import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GcsBlobStore } from '@bq-sftp-export/cloud';

import { BigQueryRowSource } from '../adapters/bigquery-row-source.adapter.js';
import { HandlerFixture } from '../testing/handler-fixture.js';
import { LocalCloud } from '../testing/local-cloud-fixture.js';

let cloud: LocalCloud;
/** The run clock: a whole second after the table was made, so its snapshot sees every row. */
let now: Date;
const ROWS = 60;

beforeAll(async () => {
  cloud = await LocalCloud.start({ readPath: 'storage' });
  await cloud.bigQueryServer.seed([
    'CREATE SCHEMA IF NOT EXISTS shop',
    `CREATE TABLE shop.lost AS SELECT x AS id, CONCAT('name-', CAST(x AS STRING)) AS name,
       TIMESTAMP_SECONDS(1767225600 + x) AS updated_at
     FROM UNNEST(GENERATE_ARRAY(1, ${ROWS})) AS x`,
  ]);
  now = new Date(Math.ceil(Date.now() / 1000) * 1000 + 5000);
});

afterAll(async () => {
  await cloud.stop();
});

function exportConfig(): Record<string, unknown> {
  return {
    exports: [
      {
        name: 'lost',
        source_table: 'shop.lost',
        destination_filename: 'lost_{datetime}.csv',
        timestamp_column: 'updated_at',
        incremental: true,
        columns: ['id', 'name', 'updated_at'],
      },
    ],
    sftp: { path: '/in', port: 22 },
    metadata_table: 'ops.export_metadata',
  };
}

describe('a read session lost in the middle of a Storage Read (handler, local cloud)', () => {
  it.each(['incremental', 'full'] as const)(
    '%s: the stage is discarded, nothing announced, retryable SESSION_LOST; the retry stages the whole file once',
    async (mode) => {
      // The same window through REST pages: what the file must hold.
      const rest = new HandlerFixture(new BigQueryRowSource(cloud.bigquery, { pageRows: 7 }), {
        now,
        store: new GcsBlobStore(cloud.storage),
      });
      rest.configs.set(`rest-${mode}`, exportConfig());
      expect(await rest.request({ config: `rest-${mode}`, mode })).toEqual({ kind: 'ack' });
      const [expected] = rest.fileReadies();
      expect(expected?.rowCount).toBe(ROWS);

      const fixture = cloud.fixture({ now });
      const config = `storage-${mode}`;
      fixture.configs.set(config, exportConfig());
      // Two-row batches: the session dies after three of them, with rows already encoded.
      cloud.bigQueryServer.storage.expireSessionsAfter(6);
      const sessionsBefore = cloud.bigQueryServer.storage.stats().sessions;
      const context = fixture.context();
      const outcome = await fixture.request({ config, mode }, context);
      expect(outcome).toMatchObject({ kind: 'retry' });
      expect(cloud.bigQueryServer.storage.stats().sessions).toBe(sessionsBefore + 1);
      expect(fixture.logs.entries().find((entry) => entry['message'] === 'run failed')).toMatchObject({
        error: { code: 'BIGQUERY_STORAGE_SESSION_LOST', retryable: true },
      });
      expect(await cloud.objectNames(`exports/${config}/`)).toEqual([]); // no partial object
      expect(await cloud.objectNames(`exports/runs/`)).not.toContainEqual(expect.stringContaining(config));
      expect(fixture.fileReadies()).toEqual([]);
      expect(fixture.eventTypes()).toEqual(['extract.started']);
      expect(await fixture.checkpoint(config, 'lost')).toMatchObject({ committed: null });

      // The redelivery (same message) resumes the run in a new session: the complete file.
      cloud.bigQueryServer.storage.clear();
      fixture.clock.current = new Date(now.getTime() + 30_000);
      expect(await fixture.request({ config, mode }, { ...context, deliveryAttempt: 2 })).toEqual({
        kind: 'ack',
      });
      const [file] = fixture.fileReadies();
      expect(fixture.fileReadies()).toHaveLength(1);
      expect(await cloud.objectNames(`exports/${config}/`)).toHaveLength(1);
      expect(file).toMatchObject({ rowCount: ROWS, sha256: expected!.sha256, byteSize: expected!.byteSize });
      const ids = (await fixture.text(file!.gcs.uri))
        .split('\n')
        .slice(1, -1)
        .map((line) => Number(line.split(',')[0]));
      expect(ids).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1)); // none lost, none twice
    },
    60_000,
  );
});
