import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { allTypeColumns } from '../testing/all-types.js';
import type { HandlerFixture } from '../testing/handler-fixture.js';
import { STAGING_BUCKET } from '../testing/handler-fixture.js';
import { LocalCloud, type ReadPath } from '../testing/local-cloud-fixture.js';

let cloud: LocalCloud;
let dir: string;

const orderFields = [
  { name: 'id', type: 'INT64' },
  { name: 'name', type: 'STRING' },
  { name: 'updated_at', type: 'TIMESTAMP' },
];

async function createTable(name: string, fields: { name: string; type: string }[]): Promise<void> {
  await cloud.bigquery.dataset('shop').createTable(name, { schema: { fields } });
}

async function insert(table: string, rows: Record<string, unknown>[]): Promise<void> {
  await cloud.bigquery.dataset('shop').table(table).insert(rows);
}

function exportConfig(table: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    exports: [
      {
        name: table,
        source_table: `shop.${table}`,
        destination_filename: `${table}_{datetime}.csv`,
        timestamp_column: 'updated_at',
        incremental: true,
        columns: ['id', 'name', 'updated_at'],
        ...overrides,
      },
    ],
    sftp: { path: '/in', port: 22 },
    metadata_table: 'ops.export_metadata',
  };
}

/** A whole second a little ahead of the wall clock, so the run's snapshot follows every insert. */
function soon(offsetSeconds = 5): Date {
  return new Date(Math.ceil(Date.now() / 1000) * 1000 + offsetSeconds * 1000);
}

/** Waits until the wall clock is past `instant` (a run's snapshot), so later inserts follow it. */
async function wallClockPast(instant: Date): Promise<void> {
  const wait = instant.getTime() - Date.now() + 20;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

async function csvIds(fixture: HandlerFixture, uri: string): Promise<string[]> {
  const text = await fixture.text(uri);
  return text
    .split('\n')
    .slice(1, -1)
    .map((line) => line.split(',')[0]!);
}

// Every spec runs over both read paths: REST pages and the Storage Read API (Arrow).
describe.each<ReadPath>(['rest', 'storage'])(
  'extractor through the local cloud (real BigQuery and Cloud Storage clients), %s read path',
  (readPath) => {
    beforeAll(async () => {
      cloud = await LocalCloud.start({ readPath });
      await cloud.bigquery.createDataset('shop');
      dir = mkdtempSync(path.join(tmpdir(), 'bqx-extract-int-'));
    });

    afterAll(async () => {
      await cloud.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('exports rows exactly at low and at high once across runs', async () => {
      await createTable('boundaries', orderFields);
      const t1 = soon();
      const fixture = cloud.fixture({ now: t1 });
      fixture.configs.set('b', exportConfig('boundaries'));
      await insert('boundaries', [
        { id: 1, name: 'a', updated_at: new Date(t1.getTime() - 1000).toISOString() },
        { id: 2, name: 'b', updated_at: t1.toISOString() }, // = high of run 1, = low of run 2
      ]);
      expect(await fixture.request({ config: 'b' })).toEqual({ kind: 'ack' });

      const t2 = new Date(t1.getTime() + 10_000);
      await insert('boundaries', [{ id: 3, name: 'c', updated_at: t2.toISOString() }]); // = high of run 2
      fixture.clock.current = t2;
      await fixture.request({ config: 'b' });
      fixture.clock.current = new Date(t2.getTime() + 10_000);
      await fixture.request({ config: 'b' });

      const files = fixture.fileReadies();
      const ids = await Promise.all(files.map((file) => csvIds(fixture, file.gcs.uri)));
      expect(ids).toEqual([['1'], ['2'], ['3']]);
      expect(files[1]?.window).toEqual({
        low: t1.toISOString().replace('.000Z', '.000000Z'),
        high: t2.toISOString().replace('.000Z', '.000000Z'),
      });
    });

    it('a row inserted late within the lookback appears once, newest version per dedupe key', async () => {
      await createTable('late', orderFields);
      const t1 = soon();
      const fixture = cloud.fixture({ now: t1 });
      fixture.configs.set('l', exportConfig('late', { lookback_seconds: 60, dedupe_key: ['id'] }));
      await insert('late', [{ id: 1, name: 'v1', updated_at: new Date(t1.getTime() - 5000).toISOString() }]);
      await fixture.request({ config: 'l' });

      // Arrives after run 1 with a timestamp inside run 1's window (within the lookback margin),
      // plus a newer version of row 1.
      const t2 = new Date(t1.getTime() + 10_000);
      await insert('late', [
        { id: 2, name: 'late', updated_at: new Date(t1.getTime() - 2000).toISOString() },
        { id: 1, name: 'v2', updated_at: new Date(t1.getTime() + 1000).toISOString() },
      ]);
      fixture.clock.current = t2;
      await fixture.request({ config: 'l' });

      const files = fixture.fileReadies();
      const second = await fixture.text(files[1]!.gcs.uri);
      expect(second.split('\n').filter((line) => line.startsWith('2,'))).toHaveLength(1);
      expect(second).toContain('1,v2,');
      expect(second).not.toContain('1,v1,');
    });

    it('counts rows that arrived below the watermark since the previous run, by time travel', async () => {
      await createTable('tardy', orderFields);
      const lastExtract = (fixture: HandlerFixture): Record<string, unknown> | undefined =>
        fixture
          .events()
          .filter((event) => event.type === 'extract.staged' || event.type === 'extract.empty')
          .at(-1);
      const t1 = soon(1);
      const fixture = cloud.fixture({ now: t1 });
      fixture.configs.set('t', exportConfig('tardy'));
      await insert('tardy', [
        { id: 1, name: 'a', updated_at: new Date(t1.getTime() - 60_000).toISOString() },
      ]);
      await fixture.request({ config: 't' });
      expect(lastExtract(fixture)).toMatchObject({ lateRows: null, lateRowsReason: 'no_previous_snapshot' });

      // Committed after run 1's snapshot, two of them stamped below its watermark (t1).
      await wallClockPast(t1);
      await insert('tardy', [
        { id: 2, name: 'b', updated_at: new Date(t1.getTime() - 30_000).toISOString() },
        { id: 3, name: 'c', updated_at: new Date(t1.getTime() - 1).toISOString() },
        { id: 4, name: 'd', updated_at: t1.toISOString() }, // = low of run 2: exported, not late
      ]);
      const t2 = soon(1);
      fixture.clock.current = t2;
      await fixture.request({ config: 't' });
      expect(lastExtract(fixture)).toMatchObject({ type: 'extract.staged', lateRows: 2 });
      expect(await csvIds(fixture, fixture.fileReadies().at(-1)!.gcs.uri)).toEqual(['4']);

      await wallClockPast(t2);
      const t3 = soon(1);
      fixture.clock.current = t3;
      await fixture.request({ config: 't' });
      expect(lastExtract(fixture)).toMatchObject({ type: 'extract.empty', lateRows: 0 });

      // A checkpoint written before the count kept no snapshot: the count is unknown, not zero.
      const checkpoint = cloud.storage.bucket(STAGING_BUCKET).file('checkpoints/t/tardy.json');
      const [text] = await checkpoint.download();
      const document = JSON.parse(text.toString('utf8')) as { committed: Record<string, unknown> };
      expect(document.committed['snapshot']).toBe(t3.toISOString().replace('Z', '000Z'));
      delete document.committed['snapshot'];
      await checkpoint.save(JSON.stringify(document), { contentType: 'application/json' });
      await wallClockPast(t3);
      fixture.clock.current = soon(1);
      await fixture.request({ config: 't' });
      expect(lastExtract(fixture)).toMatchObject({ lateRows: null, lateRowsReason: 'no_previous_snapshot' });
    });

    it('two concurrent requests for one export produce one run; the other is skipped as busy', async () => {
      await createTable('concurrent', orderFields);
      const now = soon();
      await insert('concurrent', [
        { id: 1, name: 'a', updated_at: new Date(now.getTime() - 1000).toISOString() },
      ]);
      const first = cloud.fixture({ now });
      const second = cloud.fixture({ now });
      first.configs.set('c', exportConfig('concurrent'));
      second.configs.set('c', exportConfig('concurrent'));
      const outcomes = await Promise.all([
        first.request({ config: 'c' }, first.context({ messageId: 'request-a' })),
        second.request({ config: 'c' }, second.context({ messageId: 'request-b' })),
      ]);
      expect(outcomes).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
      const types = [...first.eventTypes(), ...second.eventTypes()].sort();
      expect(types).toEqual(['extract.skipped', 'extract.staged', 'extract.started']);
      expect(first.fileReadies().length + second.fileReadies().length).toBe(1);
    });

    it('two runs of one export started in the same second: {datetime} repeats the name, {datetime_ms} and {run_id} do not', async () => {
      await createTable('twice', orderFields);
      const now = soon();
      await insert('twice', [{ id: 1, name: 'a', updated_at: new Date(now.getTime() - 1000).toISOString() }]);
      const fixture = cloud.fixture({ now: new Date(now.getTime() + 120) });
      const full = { source_table: 'shop.twice', columns: ['id', 'name', 'updated_at'] };
      fixture.configs.set('t', {
        ...exportConfig('twice'),
        exports: [
          { ...full, name: 'seconds', destination_filename: 'S_{datetime}.csv' },
          { ...full, name: 'millis', destination_filename: 'M_{datetime_ms}.csv' },
          { ...full, name: 'per_run', destination_filename: 'R_{run_id}.csv' },
        ],
      });
      expect(await fixture.request({ config: 't' }, fixture.context({ messageId: 'first' }))).toEqual({
        kind: 'ack',
      });
      fixture.clock.current = new Date(now.getTime() + 870); // the same second, a later millisecond
      expect(await fixture.request({ config: 't' }, fixture.context({ messageId: 'second' }))).toEqual({
        kind: 'ack',
      });

      const namesOf = (exportName: string): string[] =>
        fixture
          .fileReadies()
          .filter((file) => file.exportName === exportName)
          .map((file) => file.fileName);
      const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_');
      expect(namesOf('seconds')).toEqual([`S_${stamp}.csv`, `S_${stamp}.csv`]);
      expect(namesOf('millis')).toEqual([`M_${stamp}120.csv`, `M_${stamp}870.csv`]);
      const perRun = namesOf('per_run');
      expect(perRun).toHaveLength(2);
      expect(new Set(perRun).size).toBe(2);
      for (const name of perRun) expect(name).toMatch(/^R_\d{8}T\d{6}Z-[0-9a-f]{12}\.csv$/);
    });

    it('a crash after the staged write and before publishing: the rerun publishes one object once, same content', async () => {
      await createTable('crash', orderFields);
      const now = soon();
      await insert('crash', [{ id: 1, name: 'a', updated_at: new Date(now.getTime() - 1000).toISOString() }]);
      const fixture = cloud.fixture({ now });
      fixture.configs.set('x', exportConfig('crash'));
      const publish = fixture.publisher.publish.bind(fixture.publisher);
      let crashed = false;
      fixture.publisher.publish = (topic, message) => {
        if (topic === 'file-ready' && !crashed) {
          crashed = true;
          return Promise.reject(new Error('process died'));
        }
        return publish(topic, message);
      };
      const context = fixture.context();
      expect((await fixture.request({ config: 'x' }, context)).kind).toBe('retry');
      const afterCrash = await cloud.objectNames('exports/default/crash/');
      fixture.clock.current = new Date(now.getTime() + 30_000);
      expect(await fixture.request({ config: 'x' }, { ...context })).toEqual({ kind: 'ack' });

      expect(await cloud.objectNames('exports/x/crash/')).toHaveLength(1);
      expect(afterCrash).toEqual([]);
      const [file] = fixture.fileReadies();
      expect(fixture.fileReadies()).toHaveLength(1);
      expect(await fixture.json(`exports/runs/${file!.runId}/crash.file-ready.json`)).toEqual(file);
      expect(await csvIds(fixture, file!.gcs.uri)).toEqual(['1']);
      expect(await fixture.checkpoint('x', 'crash')).toMatchObject({
        lease: null,
        committed: { runId: file!.runId },
      });
    });

    it('a missing table: extract.failed, dead-letter, checkpoint untouched', async () => {
      const fixture = cloud.fixture({ now: soon() });
      fixture.configs.set('m', exportConfig('does_not_exist'));
      const outcome = await fixture.request({ config: 'm' });
      expect(outcome).toMatchObject({ kind: 'deadLetter', code: 'BIGQUERY_NOT_FOUND' });
      expect(fixture.events().at(-1)).toMatchObject({
        type: 'extract.failed',
        error: { code: 'BIGQUERY_NOT_FOUND', retryable: false },
      });
      expect(await fixture.checkpoint('m', 'does_not_exist')).toMatchObject({ committed: null, lease: null });
    });

    it('full and backfill modes, and an empty window', async () => {
      await createTable('modes', orderFields);
      const now = soon();
      await insert('modes', [
        { id: 1, name: 'a', updated_at: '2026-01-01T00:00:00Z' },
        { id: 2, name: 'b', updated_at: '2026-02-01T00:00:00Z' },
      ]);
      const fixture = cloud.fixture({ now });
      fixture.configs.set('md', exportConfig('modes'));
      await fixture.request({ config: 'md' });
      fixture.clock.current = new Date(now.getTime() + 1000);
      await fixture.request({ config: 'md' }); // nothing new
      fixture.clock.current = new Date(now.getTime() + 2000);
      await fixture.request({ config: 'md', mode: 'full' });
      fixture.clock.current = new Date(now.getTime() + 3000);
      await fixture.request({
        config: 'md',
        backfill: { from: '2026-01-15T00:00:00Z', to: '2026-03-01T00:00:00Z' },
      });

      expect(fixture.eventTypes().filter((type) => type !== 'extract.started')).toEqual([
        'extract.staged',
        'extract.empty',
        'extract.staged',
        'extract.staged',
      ]);
      const files = fixture.fileReadies();
      expect(await Promise.all(files.map((file) => csvIds(fixture, file.gcs.uri)))).toEqual([
        ['1', '2'],
        ['1', '2'],
        ['2'],
      ]);
      expect(files.map((file) => file.mode)).toEqual(['incremental', 'full', 'incremental']);
      expect(await fixture.checkpoint('md', 'modes')).toMatchObject({
        committed: { high: new Date(now.getTime() + 1000).toISOString().replace('Z', '000Z') },
      });
    });

    it('every scalar type with NULLs through CSV, and through Parquet read back by DuckDB', async () => {
      // Every scalar type, the TIMESTAMP column being the export's watermark.
      const fields = allTypeColumns.map(({ name, type }) => ({
        name: name === 'ts' ? 'updated_at' : name,
        type,
      }));
      await createTable('types', fields);
      await insert('types', [
        {
          s: 'Zoë, "東京"\nline 2',
          b: 'AP8BAg==',
          i: '9223372036854775807',
          f: 'NaN',
          n: '99999999999999999999999999999.999999999',
          bn: '12345678901234567890.123456789012345678',
          ok: true,
          d: '0001-01-01',
          dt: '9999-12-31T23:59:59.999999',
          t: '23:59:59.999999',
          updated_at: '2024-01-02T03:04:05.123456Z',
          j: '{"a":[1,2.5,"x"]}',
        },
        { s: 'inf', f: 'Infinity', i: '-9223372036854775808', updated_at: '2024-01-02T03:04:06Z' },
        { s: '-inf', f: '-Infinity', n: '-0.000000001', updated_at: '2024-01-02T03:04:07Z' },
        { s: 'nulls', updated_at: '2024-01-02T03:04:08Z' },
      ]);
      const columns = fields.map((field) => field.name);
      const fixture = cloud.fixture({ now: soon() });
      fixture.configs.set(
        'csv',
        exportConfig('types', {
          columns,
          destination_filename: 'types.csv',
          csv: { timestamp_format: 'bigquery' },
        }),
      );
      fixture.configs.set(
        'pq',
        exportConfig('types', { columns, format: 'parquet', destination_filename: 'types.parquet' }),
      );
      await fixture.request({ config: 'csv' });
      await fixture.request({ config: 'pq' });
      const [csvFile, parquetFile] = fixture.fileReadies();

      expect(await fixture.text(csvFile!.gcs.uri)).toBe(
        [
          's,b,i,f,n,bn,ok,d,dt,t,updated_at,j',
          '"Zoë, ""東京""\nline 2",AP8BAg==,9223372036854775807,nan,99999999999999999999999999999.999999999,12345678901234567890.123456789012345678,true,0001-01-01,9999-12-31T23:59:59.999999,23:59:59.999999,2024-01-02 03:04:05.123456 UTC,"{""a"":[1,2.5,""x""]}"',
          'inf,,-9223372036854775808,inf,,,,,,,2024-01-02 03:04:06 UTC,',
          '-inf,,,-inf,-0.000000001,,,,,,2024-01-02 03:04:07 UTC,',
          'nulls,,,,,,,,,,2024-01-02 03:04:08 UTC,',
          '',
        ].join('\n'),
      );

      const file = path.join(dir, 'types.parquet');
      writeFileSync(file, await cloud.read(parquetFile!.gcs.uri));
      const duck = await DuckDBInstance.create(':memory:');
      const connection = await duck.connect();
      try {
        const reader = await connection.runAndReadAll(
          `SELECT s, b::VARCHAR, i::VARCHAR, f, n::VARCHAR, ok, d::VARCHAR, dt::VARCHAR, t::VARCHAR, epoch_us(updated_at)::VARCHAR, j
         FROM read_parquet('${file}') ORDER BY updated_at`,
        );
        const rows = reader.getRows();
        expect(rows[0]).toEqual([
          'Zoë, "東京"\nline 2',
          '\\x00\\xFF\\x01\\x02',
          '9223372036854775807',
          Number.NaN,
          '99999999999999999999999999999.999999999',
          true,
          '0001-01-01',
          '9999-12-31 23:59:59.999999',
          '23:59:59.999999',
          '1704164645123456',
          '{"a":[1,2.5,"x"]}',
        ]);
        expect(rows[1]?.slice(2, 4)).toEqual(['-9223372036854775808', Number.POSITIVE_INFINITY]);
        expect(rows[2]?.slice(3, 5)).toEqual([Number.NEGATIVE_INFINITY, '-0.000000001']);
        expect(rows[3]).toEqual([
          'nulls',
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          '1704164648000000',
          null,
        ]);
      } finally {
        connection.closeSync();
        duck.closeSync();
      }
    });

    it('delivers pre-1970 fractional instants and FLOAT64 -0 exactly, in CSV and in Parquet', async () => {
      await createTable('edges', [
        { name: 'id', type: 'INT64' },
        { name: 'f', type: 'FLOAT64' },
        { name: 'at', type: 'TIMESTAMP' },
        { name: 'updated_at', type: 'TIMESTAMP' },
      ]);
      // Every instant between -1 s and 0 with a fraction came out one second late, and -0 as 0.
      const instants = [
        ['1969-12-31T23:59:59.999999Z', '1969-12-31 23:59:59.999999 UTC', -1n],
        ['1969-12-31T23:59:59.5Z', '1969-12-31 23:59:59.500000 UTC', -500_000n],
        ['1969-12-31T23:59:59.000001Z', '1969-12-31 23:59:59.000001 UTC', -999_999n],
        ['1969-12-31T23:59:59Z', '1969-12-31 23:59:59 UTC', -1_000_000n],
        ['1960-06-15T12:00:00.25Z', '1960-06-15 12:00:00.250000 UTC', -301_233_599_750_000n],
        ['0001-01-01T00:00:00.000001Z', '0001-01-01 00:00:00.000001 UTC', -62_135_596_799_999_999n],
        ['1970-01-01T00:00:00.000001Z', '1970-01-01 00:00:00.000001 UTC', 1n],
      ] as const;
      await insert(
        'edges',
        instants.map(([at], index) => ({
          id: index,
          f: index === 0 ? '-0.0' : String(index),
          at,
          updated_at: `2024-01-02T03:04:0${index}Z`,
        })),
      );
      const fixture = cloud.fixture({ now: soon() });
      const columns = ['id', 'f', 'at', 'updated_at'];
      fixture.configs.set('csv', exportConfig('edges', { columns, destination_filename: 'edges.csv' }));
      fixture.configs.set(
        'pq',
        exportConfig('edges', { columns, format: 'parquet', destination_filename: 'edges.parquet' }),
      );
      expect(await fixture.request({ config: 'csv' })).toEqual({ kind: 'ack' });
      expect(await fixture.request({ config: 'pq' })).toEqual({ kind: 'ack' });
      const [csvFile, parquetFile] = fixture.fileReadies();

      expect(await fixture.text(csvFile!.gcs.uri)).toBe(
        [
          'id,f,at,updated_at',
          ...instants.map(
            ([, text], index) =>
              `${index},${index === 0 ? '-0' : index},${text},2024-01-02 03:04:0${index} UTC`,
          ),
          '',
        ].join('\n'),
      );

      const file = path.join(dir, 'edges.parquet');
      writeFileSync(file, await cloud.read(parquetFile!.gcs.uri));
      const duck = await DuckDBInstance.create(':memory:');
      const connection = await duck.connect();
      try {
        const reader = await connection.runAndReadAll(
          `SELECT id::VARCHAR, signbit(f), epoch_us("at")::VARCHAR FROM read_parquet('${file}') ORDER BY id`,
        );
        expect(reader.getRows()).toEqual(
          instants.map(([, , micros], index) => [String(index), index === 0, micros.toString()]),
        );
      } finally {
        connection.closeSync();
        duck.closeSync();
      }
    });

    it('applies the partner dialect: delimiter, quoting, CRLF, null token, no header, BOM, ISO timestamps', async () => {
      await createTable('dialect', orderFields);
      await insert('dialect', [
        { id: 1, name: 'semi;colon', updated_at: '2024-05-01T00:00:00Z' },
        { id: 2, name: null, updated_at: '2024-05-01T00:00:01.5Z' },
      ]);
      const fixture = cloud.fixture({ now: soon() });
      fixture.configs.set(
        'd',
        exportConfig('dialect', {
          csv: { delimiter: ';', quote: 'all', line_ending: '\r\n', null: 'NULL', header: false, bom: true },
        }),
      );
      await fixture.request({ config: 'd' });
      const [file] = fixture.fileReadies();
      expect(await fixture.text(file!.gcs.uri)).toBe(
        '\uFEFF"1";"semi;colon";"2024-05-01 00:00:00 UTC"\r\n"2";NULL;"2024-05-01 00:00:01.500000 UTC"\r\n',
      );
    });

    it('refuses injection attempts in the config at load time, before any query', async () => {
      const fixture = cloud.fixture({ now: soon() });
      const attempts = [
        { source_table: 'shop.orders`; DROP TABLE shop.orders; --' },
        { columns: ['id', 'name) FROM x; --'] },
        { timestamp_column: 'updated_at OR 1=1' },
        { destination_filename: '../../etc/{datetime}.csv' },
      ];
      for (const [index, attempt] of attempts.entries()) {
        fixture.configs.set(`inj${index}`, exportConfig('orders', attempt));
        expect(await fixture.request({ config: `inj${index}` })).toMatchObject({
          kind: 'deadLetter',
          code: 'CONFIG_INVALID',
        });
      }
      // No run, no query: only the refusal, announced without the offending values.
      expect(fixture.events().map((event) => event.type === 'extract.failed' && event.error.code)).toEqual(
        Array(attempts.length).fill('CONFIG_INVALID'),
      );
      expect(JSON.stringify(fixture.events())).not.toMatch(/DROP TABLE|OR 1=1|etc\//);
    });
  },
);
