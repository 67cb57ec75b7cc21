import { describe, expect, it } from '@jest/globals';
import { parseInstant } from '@bq-sftp-export/export-domain';
import { AppError } from '@bq-sftp-export/runtime';
import { pollUntil } from '@bq-sftp-export/testing';

import { FakeRowSource } from '../testing/fake-row-source.js';
import { HandlerFixture, STAGING_BUCKET } from '../testing/handler-fixture.js';

const columns = [
  { name: 'id', type: 'INT64' },
  { name: 'name', type: 'STRING' },
  { name: 'updated_at', type: 'TIMESTAMP' },
] as const;

function orderRow(id: number, updatedAt: string, name = `customer-${id}`): Record<string, unknown> {
  return { id: BigInt(id), name, updated_at: { value: updatedAt } };
}

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    exports: [
      {
        name: 'orders',
        source_table: 'shop.orders',
        destination_filename: 'ORDERS_{datetime}.csv',
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

function setUp(exportOverrides: Record<string, unknown> = {}, options: { leaseSeconds?: number } = {}) {
  const rows = new FakeRowSource([...columns], 'updated_at');
  const fixture = new HandlerFixture(rows, options);
  fixture.configs.set('default', config(exportOverrides));
  return { rows, fixture };
}

function stagedNames(fixture: HandlerFixture): string[] {
  return fixture.memory.names().filter((name) => name.includes('/exports/default/'));
}

describe('export.requested handler', () => {
  it('stages the window as CSV, records and publishes file.ready, then commits the checkpoint', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    rows.insert(orderRow(2, '2026-11-26T11:59:59.999999Z'));
    rows.insert(orderRow(3, '2026-11-26T12:00:00Z')); // = high: next run

    expect(await fixture.request({ config: 'default' })).toEqual({ kind: 'ack' });

    expect(fixture.eventTypes()).toEqual(['extract.started', 'extract.staged']);
    const [file] = fixture.fileReadies();
    expect(file).toMatchObject({
      exportName: 'orders',
      configName: 'default',
      rowCount: 2,
      format: 'csv',
      fileName: 'ORDERS_20261126_120000.csv',
      remoteDirectory: '/in',
      window: { high: '2026-11-26T12:00:00.000000Z' },
      mode: 'incremental',
    });
    expect(file?.window.low).toBeUndefined();
    expect(file?.gcs.uri).toBe(
      `gs://${STAGING_BUCKET}/exports/default/orders/incremental/min_20261126T120000000000Z.csv`,
    );
    expect(await fixture.text(file!.gcs.uri)).toBe(
      'id,name,updated_at\n1,customer-1,2026-11-26 10:00:00 UTC\n2,customer-2,2026-11-26 11:59:59.999999 UTC\n',
    );
    const record = fixture.memory.content({
      bucket: STAGING_BUCKET,
      name: `exports/runs/${file!.runId}/orders.file-ready.json`,
    });
    expect(JSON.parse(record!.toString('utf8'))).toEqual(file);
    const staged = fixture.events().find((event) => event.type === 'extract.staged');
    expect(staged).toMatchObject({
      lastExportedValue: '2026-11-26T11:59:59.999999Z',
      file: { rowCount: 2, sha256: file!.sha256, generation: file!.gcs.generation },
    });
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({
      committed: { high: '2026-11-26T12:00:00.000000Z', runId: file!.runId },
      lease: null,
    });
    // Row values never reach the logs.
    expect(fixture.logs.text()).not.toContain('customer-1');
  });

  it('exports rows at the boundaries exactly once across two runs', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T12:00:00Z')); // exactly the first run's high
    rows.insert(orderRow(2, '2026-11-26T11:00:00Z'));
    await fixture.request({ config: 'default' });
    fixture.clock.advance(3600);
    rows.insert(orderRow(3, '2026-11-26T13:00:00Z')); // exactly the second run's high
    await fixture.request({ config: 'default' });
    fixture.clock.advance(3600);
    await fixture.request({ config: 'default' });

    const files = fixture.fileReadies();
    expect(files.map((file) => file.rowCount)).toEqual([1, 1, 1]);
    const texts = await Promise.all(files.map((file) => fixture.text(file.gcs.uri)));
    const ids = texts.flatMap((text) =>
      text
        .split('\n')
        .slice(1, -1)
        .map((line) => line.split(',')[0]),
    );
    expect(ids).toEqual(['2', '1', '3']);
    expect(files[1]?.window).toEqual({
      low: '2026-11-26T12:00:00.000000Z',
      high: '2026-11-26T13:00:00.000000Z',
    });
  });

  describe('rows that arrive below the watermark (late rows)', () => {
    const micros = (iso: string): bigint => parseInstant(iso);
    const lastExtract = (fixture: HandlerFixture): Record<string, unknown> | undefined =>
      fixture
        .events()
        .filter((event) => event.type === 'extract.staged' || event.type === 'extract.empty')
        .at(-1);

    it('counts them on the next run, and reports none when none came', async () => {
      const { rows, fixture } = setUp();
      rows.insert(orderRow(1, '2026-11-26T10:00:00Z'), micros('2026-11-26T10:00:01Z'));
      await fixture.request({ config: 'default' });
      // The first run has no previous snapshot to compare with.
      expect(lastExtract(fixture)).toMatchObject({ lateRows: null, lateRowsReason: 'no_previous_snapshot' });
      expect((await fixture.checkpoint('default', 'orders'))?.['committed']).toMatchObject({
        high: '2026-11-26T12:00:00.000000Z',
        snapshot: '2026-11-26T12:00:00.000000Z',
      });

      // Committed after the first run's snapshot, stamped below its watermark: no window reads them.
      rows.insert(orderRow(2, '2026-11-26T11:00:00Z'), micros('2026-11-26T12:10:00Z'));
      rows.insert(orderRow(3, '2026-11-26T11:59:59.999999Z'), micros('2026-11-26T12:20:00Z'));
      rows.insert(orderRow(4, '2026-11-26T12:30:00Z'), micros('2026-11-26T12:30:00Z')); // in the next window
      fixture.clock.advance(3600);
      await fixture.request({ config: 'default' });
      expect(lastExtract(fixture)).toMatchObject({ type: 'extract.staged', lateRows: 2 });
      expect(lastExtract(fixture)).not.toHaveProperty('lateRowsReason');
      expect(fixture.logs.text()).toMatch(
        /below the watermark.*"lateRows":2|"lateRows":2.*below the watermark/,
      );
      expect(fixture.logs.text()).not.toContain('customer-2');

      fixture.clock.advance(3600);
      await fixture.request({ config: 'default' });
      expect(lastExtract(fixture)).toMatchObject({ type: 'extract.empty', lateRows: 0 });
    });

    it('rows of the lookback margin are read again, so they are not late', async () => {
      const { rows, fixture } = setUp({ lookback_seconds: 3600, dedupe_key: ['id'] });
      rows.insert(orderRow(1, '2026-11-26T10:00:00Z'), micros('2026-11-26T10:00:01Z'));
      await fixture.request({ config: 'default' });
      rows.insert(orderRow(2, '2026-11-26T11:30:00Z'), micros('2026-11-26T12:10:00Z')); // in the margin
      rows.insert(orderRow(3, '2026-11-26T10:30:00Z'), micros('2026-11-26T12:10:00Z')); // below it
      fixture.clock.advance(3600);
      await fixture.request({ config: 'default' });
      expect(lastExtract(fixture)).toMatchObject({ type: 'extract.staged', lateRows: 1 });
      const text = await fixture.text(fixture.fileReadies().at(-1)!.gcs.uri);
      expect(text).toContain('customer-2');
    });

    it('is unknown, with the reason, for a checkpoint written before the count or a snapshot past time travel', async () => {
      const { rows, fixture } = setUp();
      rows.insert(orderRow(1, '2026-11-26T10:00:00Z'), micros('2026-11-26T10:00:01Z'));
      await fixture.request({ config: 'default' });
      const ref = { bucket: STAGING_BUCKET, name: 'checkpoints/default/orders.json' };
      const stored = await fixture.store.readJson(ref);
      const document = stored!.value as { committed: Record<string, unknown> };
      delete document.committed['snapshot'];
      await fixture.store.writeJson(ref, document, stored!.generation);
      fixture.clock.advance(3600);
      await fixture.request({ config: 'default' });
      expect(lastExtract(fixture)).toMatchObject({ lateRows: null, lateRowsReason: 'no_previous_snapshot' });

      fixture.clock.advance(8 * 24 * 3600);
      await fixture.request({ config: 'default' });
      expect(lastExtract(fixture)).toMatchObject({
        lateRows: null,
        lateRowsReason: 'previous_snapshot_expired',
      });
    });

    it('a count that fails is reported unknown and the run still delivers', async () => {
      const { rows, fixture } = setUp();
      rows.insert(orderRow(1, '2026-11-26T10:00:00Z'), micros('2026-11-26T10:00:01Z'));
      await fixture.request({ config: 'default' });
      rows.insert(orderRow(2, '2026-11-26T12:30:00Z'), micros('2026-11-26T12:30:00Z'));
      rows.failNextCount(
        new AppError('BigQuery is unavailable', { code: 'BIGQUERY_UNAVAILABLE', retryable: true }),
      );
      fixture.clock.advance(3600);
      expect(await fixture.request({ config: 'default' })).toEqual({ kind: 'ack' });
      expect(lastExtract(fixture)).toMatchObject({
        type: 'extract.staged',
        lateRows: null,
        lateRowsReason: 'count_failed',
      });
      rows.failNextCount(
        new AppError('Invalid snapshot time 1 for table p:shop.orders. Cannot read before 2', {
          code: 'BIGQUERY_INVALID_QUERY',
          retryable: false,
        }),
      );
      fixture.clock.advance(3600);
      expect(await fixture.request({ config: 'default' })).toEqual({ kind: 'ack' });
      expect(lastExtract(fixture)).toMatchObject({
        lateRows: null,
        lateRowsReason: 'previous_snapshot_expired',
      });
    });

    it('full and backfill runs carry no count', async () => {
      const { rows, fixture } = setUp();
      rows.insert(orderRow(1, '2026-11-20T00:00:00Z'));
      await fixture.request({ config: 'default', mode: 'full' });
      await fixture.request({
        config: 'default',
        backfill: { from: '2026-11-19T00:00:00Z', to: '2026-11-21T00:00:00Z' },
      });
      const extracts = fixture.events().filter((event) => event.type === 'extract.staged');
      expect(extracts).toHaveLength(2);
      for (const event of extracts) expect(event).not.toHaveProperty('lateRows');
    });
  });

  it('honours the settle delay: rows newer than now − delay wait for the next run', async () => {
    const { rows, fixture } = setUp({ settle_delay_seconds: 600 });
    rows.insert(orderRow(1, '2026-11-26T11:49:59Z'));
    rows.insert(orderRow(2, '2026-11-26T11:55:00Z'));
    await fixture.request({ config: 'default' });
    expect(fixture.fileReadies()[0]).toMatchObject({
      rowCount: 1,
      window: { high: '2026-11-26T11:50:00.000000Z' },
    });
  });

  it('skips with extract.skipped (busy) while another run holds a live lease, and acks', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    await takeLease(fixture, 'other-run', '2026-11-26T12:30:00.000000Z');

    expect(await fixture.request({ config: 'default' })).toEqual({ kind: 'ack' });
    expect(fixture.events()).toEqual([
      expect.objectContaining({ type: 'extract.skipped', reason: 'busy', leaseHolderRunId: 'other-run' }),
    ]);
    expect(fixture.fileReadies()).toHaveLength(0);
    expect(rows.queries).toHaveLength(0);
  });

  it('renews the lease while a long export runs, so no other run can take it over', async () => {
    const { rows, fixture } = setUp({}, { leaseSeconds: 0.3 });
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    let open = (): void => undefined;
    rows.gate = new Promise((resolve) => {
      open = resolve;
    });
    const outcome = fixture.request({ config: 'default' });
    const lease = async (): Promise<{ expiresAt?: string } | null | undefined> =>
      (await fixture.checkpoint('default', 'orders'))?.['lease'] as { expiresAt?: string } | null | undefined;
    const leaseWait = { timeoutMs: 5_000, intervalMs: 20 } as const;
    await pollUntil(lease, { describe: 'the lease', ...leaseWait, until: (l) => l?.expiresAt !== undefined });
    fixture.clock.advance(3600);
    await pollUntil(lease, {
      describe: 'the renewed lease',
      ...leaseWait,
      until: (l) => l?.expiresAt === '2026-11-26T13:00:00.300000Z',
    });
    expect(await fixture.request({ config: 'default' })).toEqual({ kind: 'ack' });
    expect(fixture.eventTypes()).toContain('extract.skipped');
    open();
    expect(await outcome).toEqual({ kind: 'ack' });
    expect(fixture.fileReadies()).toHaveLength(1);
  });

  it('two concurrent requests for one export produce one run', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    const outcomes = await Promise.all([
      fixture.request({ config: 'default' }),
      fixture.request({ config: 'default' }),
    ]);
    expect(outcomes).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
    expect(fixture.fileReadies()).toHaveLength(1);
    expect(fixture.eventTypes().sort()).toEqual(['extract.skipped', 'extract.staged', 'extract.started']);
  });

  it('finishes a crashed incremental run whose lease expired (its window), then runs its own', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    await takeLease(fixture, 'crashed-run', '2026-11-26T11:30:00.000000Z', {
      low: null,
      high: '2026-11-26T11:00:00.000000Z',
    });
    rows.insert(orderRow(2, '2026-11-26T11:30:00Z'));
    await fixture.request({ config: 'default' });
    const files = fixture.fileReadies();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatchObject({
      runId: 'crashed-run',
      rowCount: 1,
      window: { high: '2026-11-26T11:00:00.000000Z' },
    });
    expect(files[1]).toMatchObject({
      rowCount: 1,
      window: { low: '2026-11-26T11:00:00.000000Z', high: '2026-11-26T12:00:00.000000Z' },
    });
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({
      committed: { high: '2026-11-26T12:00:00.000000Z', runId: files[1]!.runId },
      completedRunIds: ['crashed-run', files[1]!.runId],
    });
  });

  it('a crash after the staged write and before publishing: the rerun announces the same file once', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    const original = fixture.publisher.publish.bind(fixture.publisher);
    let failFileReady = true;
    fixture.publisher.publish = (topic, message) => {
      if (topic === 'file-ready' && failFileReady) {
        failFileReady = false;
        return Promise.reject(
          new AppError('publish failed', { code: 'PUBLISH_UNAVAILABLE', retryable: true }),
        );
      }
      return original(topic, message);
    };
    const context = fixture.context();
    expect((await fixture.request({ config: 'default' }, context)).kind).toBe('retry');
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({
      committed: null,
      lease: { announced: true },
    });

    fixture.clock.advance(120); // the redelivery comes later: the window must not move
    rows.insert(orderRow(2, '2026-11-26T12:01:00Z'));
    expect(await fixture.request({ config: 'default' }, { ...context })).toEqual({ kind: 'ack' });

    expect(stagedNames(fixture).filter((name) => !name.includes('/runs/'))).toHaveLength(1);
    const files = fixture.fileReadies();
    expect(files).toHaveLength(1);
    const record = fixture.memory.content({
      bucket: STAGING_BUCKET,
      name: `exports/runs/${files[0]!.runId}/orders.file-ready.json`,
    });
    expect(JSON.parse(record!.toString('utf8'))).toEqual(files[0]);
    expect(files[0]?.rowCount).toBe(1);
  });

  it('a crash between the last event and the checkpoint commit: the redelivery publishes extract.staged, once', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    const original = fixture.publisher.publish.bind(fixture.publisher);
    let failStaged = true;
    fixture.publisher.publish = (topic, message) => {
      if (message.attributes['eventType'] === 'extract.staged' && failStaged) {
        failStaged = false;
        return Promise.reject(
          new AppError('publish failed', { code: 'PUBLISH_UNAVAILABLE', retryable: true }),
        );
      }
      return original(topic, message);
    };
    const context = fixture.context();
    expect((await fixture.request({ config: 'default' }, context)).kind).toBe('retry');
    fixture.clock.advance(60);
    expect(await fixture.request({ config: 'default' }, { ...context })).toEqual({ kind: 'ack' });

    expect(fixture.eventTypes().filter((type) => type === 'extract.staged')).toHaveLength(1);
    // The resumed run announces its recorded file.ready again (same event id: the uploader's ledger knows it).
    expect(new Set(fixture.fileReadies().map((file) => file.eventId)).size).toBe(1);
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({ lease: null });
  });

  it('recounts a staged object whose figures were never stored, and refuses one that differs', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    const name = 'exports/default/orders/incremental/min_20261126T120000000000Z.csv';
    fixture.memory.put(
      { bucket: STAGING_BUCKET, name },
      'id,name,updated_at\n1,customer-1,2026-11-26 10:00:00 UTC\n',
    );
    await fixture.request({ config: 'default' });
    expect(fixture.fileReadies()[0]).toMatchObject({ rowCount: 1 });

    const other = setUp();
    other.rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    other.fixture.memory.put({ bucket: STAGING_BUCKET, name }, 'something else\n');
    const outcome = await other.fixture.request({ config: 'default' });
    expect(outcome).toMatchObject({ kind: 'deadLetter', code: 'STAGED_OBJECT_MISMATCH' });
  });

  it('acknowledges a redelivered request whose run already finished, without a second file', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    const context = fixture.context();
    await fixture.request({ config: 'default' }, context);
    fixture.clock.advance(60);
    expect(await fixture.request({ config: 'default' }, { ...context })).toEqual({ kind: 'ack' });
    expect(fixture.fileReadies()).toHaveLength(1);
  });

  it('an empty window: no file, extract.empty, and the checkpoint advances (default policy)', async () => {
    const { fixture } = setUp();
    await fixture.request({ config: 'default' });
    expect(fixture.eventTypes()).toEqual(['extract.started', 'extract.empty']);
    expect(stagedNames(fixture)).toEqual([]);
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({
      committed: { high: '2026-11-26T12:00:00.000000Z' },
    });
  });

  it('an empty window with empty_export "empty_file" delivers a header-only file', async () => {
    const { fixture } = setUp({ empty_export: 'empty_file' });
    await fixture.request({ config: 'default' });
    const [file] = fixture.fileReadies();
    expect(file?.rowCount).toBe(0);
    expect(await fixture.text(file!.gcs.uri)).toBe('id,name,updated_at\n');
  });

  it('backfill exports [from, to) and never moves the checkpoint', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-20T00:00:00Z'));
    rows.insert(orderRow(2, '2026-11-21T00:00:00Z'));
    await fixture.request({ config: 'default' });
    const committed = (await fixture.checkpoint('default', 'orders'))?.['committed'];
    fixture.clock.advance(60);
    await fixture.request({
      config: 'default',
      backfill: { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' },
    });
    const backfill = fixture.fileReadies()[1];
    expect(backfill).toMatchObject({
      rowCount: 1,
      window: { low: '2026-11-20T00:00:00.000000Z', high: '2026-11-21T00:00:00.000000Z' },
    });
    expect(backfill?.gcs.uri).toContain('/orders/backfill/20261120T000000000000Z_20261121T000000000000Z.csv');
    expect((await fixture.checkpoint('default', 'orders'))?.['committed']).toEqual(committed);
  });

  it('full mode exports everything below high and leaves the checkpoint alone', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-20T00:00:00Z'));
    await fixture.request({ config: 'default' });
    fixture.clock.advance(60);
    await fixture.request({ config: 'default', mode: 'full' });
    const full = fixture.fileReadies()[1];
    expect(full).toMatchObject({
      rowCount: 1,
      mode: 'full',
      window: { high: '2026-11-26T12:01:00.000000Z' },
    });
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({
      committed: { high: '2026-11-26T12:00:00.000000Z' },
    });
  });

  it('a table without a timestamp column is exported whole every run', async () => {
    const { rows, fixture } = setUp({ incremental: false, timestamp_column: undefined });
    rows.insert(orderRow(1, '2026-11-20T00:00:00Z'));
    await fixture.request({ config: 'default' });
    fixture.clock.advance(60);
    await fixture.request({ config: 'default' });
    expect(fixture.fileReadies().map((file) => [file.mode, file.rowCount])).toEqual([
      ['full', 1],
      ['full', 1],
    ]);
    expect(rows.queries[0]?.sql).not.toContain('WHERE');
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({ committed: null, lease: null });
  });

  it('runs every export of the config; one permanent failure dead-letters the request, a replay redoes only that one', async () => {
    const rows = new FakeRowSource([...columns], 'updated_at');
    const fixture = new HandlerFixture(rows);
    const base = config();
    const [orders] = base['exports'] as Record<string, unknown>[];
    fixture.configs.set('two', {
      ...base,
      exports: [
        orders,
        { ...orders, name: 'broken', source_table: 'shop.broken', destination_filename: 'B_{datetime}.csv' },
      ],
    });
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    const original = rows.openRows.bind(rows);
    rows.openRows = (query) =>
      query.sql.includes('`broken`')
        ? Promise.reject(
            new AppError('Not found: Table shop.broken', { code: 'BIGQUERY_NOT_FOUND', retryable: false }),
          )
        : original(query);
    const context = fixture.context();
    expect(await fixture.request({ config: 'two' }, context)).toMatchObject({
      kind: 'deadLetter',
      code: 'BIGQUERY_NOT_FOUND',
      reason: expect.stringContaining('shop.broken'),
    });
    expect(fixture.fileReadies().map((file) => file.exportName)).toEqual(['orders']);
    // The same request again (a redelivery): orders is already done, broken fails again.
    await fixture.request({ config: 'two' }, { ...context });
    expect(fixture.fileReadies()).toHaveLength(1);
    expect(fixture.events().filter((event) => event.type === 'extract.failed')).toHaveLength(2);
  });

  it('writes Parquet with gzip when configured', async () => {
    const { rows, fixture } = setUp({
      format: 'parquet',
      compression: 'gzip',
      destination_filename: 'o_{date}.parquet.gz',
    });
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    await fixture.request({ config: 'default' });
    const [file] = fixture.fileReadies();
    expect(file).toMatchObject({ format: 'parquet', compression: 'gzip', fileName: 'o_20261126.parquet.gz' });
    const bytes = fixture.memory.content({
      bucket: STAGING_BUCKET,
      name: file!.gcs.uri.slice(`gs://${STAGING_BUCKET}/`.length),
    });
    expect(bytes?.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('a permanent BigQuery error: extract.failed, dead-letter, checkpoint untouched and lease released', async () => {
    const { rows, fixture } = setUp();
    rows.failNext(
      new AppError('Not found: Table p:shop.orders', { code: 'BIGQUERY_NOT_FOUND', retryable: false }),
    );
    const outcome = await fixture.request({ config: 'default' });
    expect(outcome).toMatchObject({ kind: 'deadLetter', code: 'BIGQUERY_NOT_FOUND' });
    expect(fixture.events().at(-1)).toMatchObject({
      type: 'extract.failed',
      error: { code: 'BIGQUERY_NOT_FOUND', retryable: false },
      final: true,
    });
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({ committed: null, lease: null });
  });

  it('a transient error nacks, expires the unannounced lease with its plan kept and publishes no failure', async () => {
    const { rows, fixture } = setUp();
    rows.failNext(new AppError('backendError', { code: 'BIGQUERY_UNAVAILABLE', retryable: true }));
    // Attempt 9 of 10: a retry follows, so no extract.failed (none with final: false either).
    expect((await fixture.request({ config: 'default' }, fixture.context({ deliveryAttempt: 9 }))).kind).toBe(
      'retry',
    );
    expect(fixture.eventTypes()).toEqual(['extract.started']);
    const checkpoint = await fixture.checkpoint('default', 'orders');
    expect(checkpoint).toMatchObject({
      committed: null,
      lease: { expiresAt: '2026-11-26T12:00:00.000000Z', announced: false },
    });
  });

  it('the redelivery after a transient error resumes the same window, start and snapshot', async () => {
    const { rows, fixture } = setUp();
    rows.insert(orderRow(1, '2026-11-26T10:00:00Z'));
    rows.failNext(new AppError('backendError', { code: 'BIGQUERY_UNAVAILABLE', retryable: true }));
    const context = fixture.context();
    expect((await fixture.request({ config: 'default' }, context)).kind).toBe('retry');
    const [first] = fixture.events();
    fixture.clock.advance(90);
    rows.insert(orderRow(2, '2026-11-26T12:00:30Z'));
    const redelivery = { ...context, deliveryAttempt: 2 };
    expect((await fixture.request({ config: 'default' }, redelivery)).kind).toBe('ack');
    const started = fixture.events().filter((event) => event.type === 'extract.started');
    expect(started).toHaveLength(2);
    expect(started[1]).toEqual(first);
    const [file] = fixture.fileReadies();
    expect(file).toMatchObject({ rowCount: 1, window: (first as { window: unknown }).window });
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({ lease: null });
  });

  it('a transient error on the last delivery attempt is final: extract.failed (not retryable), nack into the dead letter', async () => {
    const { rows, fixture } = setUp();
    rows.failNext(new AppError('backendError', { code: 'BIGQUERY_UNAVAILABLE', retryable: true }));
    const outcome = await fixture.request({ config: 'default' }, fixture.context({ deliveryAttempt: 10 }));
    expect(outcome.kind).toBe('retry');
    expect(fixture.events().at(-1)).toMatchObject({
      type: 'extract.failed',
      attempt: 10,
      error: { code: 'BIGQUERY_UNAVAILABLE', retryable: false },
      final: true,
    });
    expect(await fixture.checkpoint('default', 'orders')).toMatchObject({ lease: null, committed: null });
  });

  it('dead-letters unknown export names, a missing config and invalid identifiers', async () => {
    const { fixture } = setUp();
    expect(await fixture.request({ config: 'default', exports: ['orders', 'nope'] })).toMatchObject({
      kind: 'deadLetter',
      code: 'EXPORT_UNKNOWN',
      reason: expect.stringContaining('nope'),
    });
    expect(await fixture.request({ config: 'absent' })).toMatchObject({ kind: 'deadLetter' });
    fixture.configs.set('evil', config({ columns: ['id`; DROP TABLE x; --'] }));
    expect(await fixture.request({ config: 'evil' })).toMatchObject({
      kind: 'deadLetter',
      code: 'CONFIG_INVALID',
    });
  });

  it('publishes a final extract.failed for each refusal, so the tracker records and announces it', async () => {
    const { fixture } = setUp();
    await fixture.request({ config: 'default', exports: ['orders', 'nope'] });
    await fixture.request({ config: 'absent', exports: ['orders'] });
    fixture.configs.set('evil', config({ columns: ['id`; DROP TABLE x; --'] }));
    await fixture.request({ config: 'evil' });
    const refusals = fixture.events().map((event) => ({
      type: event.type,
      configName: event.configName,
      exportName: event.exportName,
      sourceTable: event.sourceTable,
      code: event.type === 'extract.failed' ? event.error.code : undefined,
      retryable: event.type === 'extract.failed' ? event.error.retryable : undefined,
    }));
    expect(refusals).toEqual([
      {
        type: 'extract.failed',
        configName: 'default',
        exportName: 'nope',
        sourceTable: '(unknown)',
        code: 'EXPORT_UNKNOWN',
        retryable: false,
      },
      {
        type: 'extract.failed',
        configName: 'absent',
        exportName: 'orders',
        sourceTable: '(unknown)',
        code: 'CONFIG_NOT_FOUND',
        retryable: false,
      },
      {
        type: 'extract.failed',
        configName: 'evil',
        exportName: '_config',
        sourceTable: '(unknown)',
        code: 'CONFIG_INVALID',
        retryable: false,
      },
    ]);
    const [unknown] = fixture.events();
    expect(unknown?.type === 'extract.failed' && unknown.error.message).toBe(
      'config default has no export named nope',
    );
  });

  it('states the same refusal event again for a redelivered request', async () => {
    const { fixture } = setUp();
    const context = fixture.context();
    await fixture.request({ config: 'absent' }, context);
    await fixture.request({ config: 'absent' }, context);
    const [first, second] = fixture.events();
    expect(first?.eventId).toBeDefined();
    expect(second?.eventId).toBe(first?.eventId);
    expect(second?.runId).toBe(first?.runId);
  });
});

async function takeLease(
  fixture: HandlerFixture,
  runId: string,
  expiresAt: string,
  window: { low: string | null; high: string } = { low: null, high: '2026-11-26T11:00:00.000000Z' },
): Promise<void> {
  parseInstant(expiresAt);
  await fixture.store.writeJson(
    { bucket: STAGING_BUCKET, name: 'checkpoints/default/orders.json' },
    {
      schemaVersion: 1,
      configName: 'default',
      exportName: 'orders',
      committed: null,
      completedRunIds: [],
      lease: {
        runId,
        expiresAt,
        runStartedAt: window.high,
        snapshot: window.high,
        window: { mode: 'incremental', scanLow: window.low, ...window },
        announced: false,
      },
    },
    '0',
  );
}
