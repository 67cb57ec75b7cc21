import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { topologyOf, Topics } from '@bq-sftp-export/contracts';
import type { ExportEvent, ExportEventOf } from '@bq-sftp-export/contracts';
import { seedTables } from '@bq-sftp-export/local-cloud';
import type { CustomerRow } from '@bq-sftp-export/local-cloud';
import { pollUntil, startOpenSshServer } from '@bq-sftp-export/testing';
import type { OpenSshServer } from '@bq-sftp-export/testing';

import { openEventTap } from '../stack/event-tap.js';
import type { EventTap } from '../stack/event-tap.js';
import { DEMO_CONFIG_NAME, startDemoStack } from '../stack/demo-stack.js';
import type { DemoStack } from '../stack/demo-stack.js';
import { requestAndFollow } from '../stack/export-run.js';
import type { FollowResult } from '../stack/export-run.js';
import { queryHistory } from '../summary/history.js';
import type { HistoryRow } from '../summary/history.js';
import { newRows, normaliseDelivered, seededRows } from './testing/expected-files.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const ROWS = 60;
const SHOPIFY = 'shopify_customers';
const KLAVIYO = 'klaviyo_customers';
const fileReadyDeadLetters = topologyOf(Topics.fileReady).deadLetterSubscription;

/** How these tests wait (`pollUntil(check, { describe, ...WAIT })`): 120 s, every 200 ms. */
const WAIT = { timeoutMs: 120_000, intervalMs: 200 } as const;

/**
 * The three built services as processes on the local cloud (Pub/Sub, Cloud Storage, BigQuery,
 * SMTP and Slack sinks) delivering to a real OpenSSH server, driven as an operator would: by
 * `export.requested` messages and the `bq-sftp` CLI. One stack for the whole file; the tests
 * build on each other in order (first run, incremental run, outage, resend).
 */
describe('end to end: three services, the local cloud, OpenSSH', () => {
  let sftp: OpenSshServer;
  let stack: DemoStack;
  let tap: EventTap;
  let workDir: string;
  const firstRuns = new Map<string, string>();

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'bqx-e2e-'));
    sftp = await startOpenSshServer({ passwordAuthentication: true });
    stack = await startDemoStack({
      repoRoot,
      directory: workDir,
      persistent: false,
      rowsPerTable: ROWS,
      fastRetries: true,
      sftp: { ...sftp, password: sftp.password ?? '' },
    });
    tap = await openEventTap(stack.clients.pubsub, 'e2e-tap');
  }, 180_000);

  afterAll(async () => {
    await tap?.close();
    await stack?.stop();
    await sftp?.stop();
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  const columnsOf = (exportName: string): readonly string[] =>
    stack.config.exports.find((entry) => entry.name === exportName)?.columns ?? [];

  async function run(request: { exports?: string[] }): Promise<FollowResult> {
    // File names carry the run's start to the second ({datetime}): start each run in a later
    // second than every earlier one, as a scheduler would, so two runs never share a name.
    const lastStart = Math.max(0, ...tap.events().map((event) => Date.parse(event.occurredAt)));
    await pollUntil(() => (Math.floor(Date.now() / 1000) > Math.floor(lastStart / 1000) ? true : undefined), {
      describe: 'a new second',
      timeoutMs: 5_000,
      intervalMs: 50,
    });
    const result = await requestAndFollow(
      stack.clients.pubsub,
      tap,
      { config: DEMO_CONFIG_NAME, ...request },
      { exportNames: [SHOPIFY, KLAVIYO], timeoutMs: 120_000, services: stack.services },
    );
    expect(result.settled).toBe(true);
    return result;
  }

  const eventsOf = <T extends ExportEvent['type']>(type: T, runId: string): ExportEventOf<T>[] =>
    tap.events().filter((event): event is ExportEventOf<T> => event.type === type && event.runId === runId);

  async function historyOf(
    runIds: readonly string[],
    until: (rows: HistoryRow[]) => boolean,
  ): Promise<HistoryRow[]> {
    return pollUntil(
      async () => {
        const rows = (
          await queryHistory(stack.clients.bigquery, stack.config.metadataTable, DEMO_CONFIG_NAME)
        ).filter((row) => row.run_id !== null && runIds.includes(row.run_id));
        return until(rows) ? rows : undefined;
      },
      { describe: 'history rows', ...WAIT },
    );
  }

  async function deliveredText(fileName: string): Promise<string> {
    return readFile(path.join(stack.deliveryDirectory, fileName), 'utf8');
  }

  function expectFile(text: string, exportName: string, rows: readonly CustomerRow[]): void {
    const compared = normaliseDelivered(text, columnsOf(exportName), rows);
    expect(compared.delivered).toBe(compared.expected);
    expect(Buffer.byteLength(text)).toBe(Buffer.byteLength(compared.expected));
    expect(compared.timestampOrdered).toBe(true);
  }

  async function insert(table: keyof typeof seedTables, rows: CustomerRow[]): Promise<void> {
    const { dataset, table: name } = seedTables[table];
    await stack.clients.bigquery.dataset(dataset).table(name).insert(rows);
  }

  async function bqSftp(...args: string[]): Promise<string> {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, 'packages', 'cli', 'dist', 'main.js'), ...args],
      { env: { PATH: process.env['PATH'] ?? '', ...stack.env }, cwd: workDir },
    );
    return stdout;
  }

  it('{"config": "default"} delivers both files byte for byte, writes history for every step, notifies once per export and channel', async () => {
    const { progress } = await run({});
    for (const entry of progress.exports()) {
      expect(entry.step).toBe('delivered');
      firstRuns.set(entry.exportName, entry.runId!);
    }
    const files = await readdir(stack.deliveryDirectory);
    expect(files.sort()).toEqual(
      progress
        .exports()
        .map((entry) => entry.fileName)
        .sort(),
    );
    for (const [exportName, table] of [
      [SHOPIFY, 'shopify'],
      [KLAVIYO, 'klaviyo'],
    ] as const) {
      const entry = progress.exports().find((candidate) => candidate.exportName === exportName)!;
      expect(entry.remotePath).toBe(path.posix.join(stack.deliveryDirectory, entry.fileName!));
      expectFile(await deliveredText(entry.fileName!), exportName, seededRows(table, ROWS));
      expect(entry.rows).toBe(ROWS);
    }

    const steps = ['extract.started', 'extract.staged', 'upload.delivered', 'notification.sent'];
    const runIds = [...firstRuns.values()];
    const history = await historyOf(
      runIds,
      (rows) => rows.filter((row) => row.event_type === 'notification.sent').length >= 4,
    );
    for (const runId of runIds) {
      const rows = history.filter((row) => row.run_id === runId);
      expect([...new Set(rows.map((row) => row.event_type))].sort()).toEqual([...steps].sort());
      expect(rows.find((row) => row.event_type === 'upload.delivered')).toMatchObject({
        export_status: 'success',
        rows_exported: ROWS,
      });
      // The seed's monitoring query reads the latest successful row, the delivery's: it carries the value too.
      const staged = eventsOf('extract.staged', runId)[0]!;
      expect(staged.lastExportedValue).toEqual(expect.any(String));
      const [latest] = await stack.clients.bigquery.query({
        query: `SELECT event_type, last_exported_value FROM \`${stack.config.metadataTable}\` WHERE run_id = @runId AND export_status = 'success' ORDER BY completed_at DESC LIMIT 1`,
        params: { runId },
      });
      expect(latest).toEqual([
        { event_type: 'upload.delivered', last_exported_value: staged.lastExportedValue },
      ]);
      expect(
        rows
          .filter((row) => row.event_type === 'notification.sent')
          .map((row) => row.notification_channel)
          .sort(),
      ).toEqual(['email', 'slack']);
    }
    const subjects = stack.cloud.smtp.messages().map((mail) => mail.subject ?? '');
    for (const exportName of [SHOPIFY, KLAVIYO]) {
      expect(subjects.filter((subject) => subject.includes(`${exportName} succeeded`))).toHaveLength(1);
    }
    expect(subjects).toHaveLength(2);
    expect(stack.cloud.slack.posts()).toHaveLength(2);
  }, 240_000);

  it('the first run is one trace across the three services, parent links whole, its id on the log lines', async () => {
    interface Span {
      traceId: string;
      spanId: string;
      parentSpanId?: string;
      name: string;
      serviceName: string;
      attributes: Record<string, unknown>;
    }
    const readSpans = async (): Promise<Span[]> =>
      (await readFile(stack.traceFile, 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Span);
    const services = ['extractor', 'uploader', 'tracker-notifier'];
    expect(firstRuns.size).toBe(2);
    for (const runId of firstRuns.values()) {
      // The tracker's last span ends just after its history row is visible: wait for it.
      const found = await pollUntil(
        async () => {
          const spans = await readSpans();
          const staged = spans.find(
            (span) => span.name === 'staging write' && span.attributes['bqx.run_id'] === runId,
          );
          const trace = spans.filter((span) => span.traceId === staged?.traceId);
          const names = trace.map((span) => span.name);
          return ['sftp rename', 'history write', 'notification email', 'notification slack'].every((name) =>
            names.includes(name),
          )
            ? trace
            : undefined;
        },
        { describe: `the whole trace of ${runId}`, timeoutMs: 20_000, intervalMs: 200 },
      );
      const trace = found;
      const byId = new Map(trace.map((span) => [span.spanId, span]));
      expect([...new Set(trace.map((span) => span.serviceName))].sort()).toEqual([...services].sort());
      // One root, the extractor's delivery of the request; every other span's parent is in the trace.
      const roots = trace.filter((span) => span.parentSpanId === undefined);
      expect(roots.map((span) => span.serviceName)).toEqual(['extractor']);
      for (const span of trace.filter((candidate) => candidate.parentSpanId !== undefined)) {
        expect(byId.has(span.parentSpanId!)).toBe(true);
      }
      // Each consumer's delivery span is the child of the publish span that sent the message.
      const deliveries = trace.filter((span) => span.name.endsWith(' process') && span !== roots[0]);
      expect(deliveries.length).toBeGreaterThanOrEqual(2);
      for (const delivery of deliveries) {
        expect(byId.get(delivery.parentSpanId!)?.name).toMatch(/ publish$/);
      }
      const uploaderDelivery = deliveries.find((span) => span.serviceName === 'uploader')!;
      expect(byId.get(uploaderDelivery.parentSpanId!)?.serviceName).toBe('extractor');
      for (const name of ['sftp connect', 'sftp transfer', 'sftp rename']) {
        expect(trace.find((span) => span.name === name)?.serviceName).toBe('uploader');
      }

      const traceField = `projects/${stack.env['GOOGLE_CLOUD_PROJECT']}/traces/${trace[0]!.traceId}`;
      for (const service of services) {
        const lines = (await readFile(path.join(stack.logDirectory, `${service}.log`), 'utf8'))
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        const traced = lines.filter((line) => line['logging.googleapis.com/trace'] === traceField);
        expect(traced.length).toBeGreaterThan(0);
        for (const line of traced) expect(byId.has(String(line['logging.googleapis.com/spanId']))).toBe(true);
      }
    }
  }, 60_000);

  it('an incremental run after new rows delivers only those, counts and alerts rows that came below the watermark; an export without new rows follows the empty policy (no file)', async () => {
    const firstHigh = eventsOf('extract.started', firstRuns.get(SHOPIFY)!)[0]!.window.high;
    const added = newRows('shopify', 5, firstHigh, 500_000);
    await insert('shopify', added);
    // Committed after the first run, stamped below its watermark: no incremental window reads
    // them, and the run says so (late_rows, an alert by email and Slack).
    const late = newRows('shopify', 3, new Date(Date.parse(firstHigh) - 3_600_000).toISOString(), 600_000);
    await insert('shopify', late);
    const before = await readdir(stack.deliveryDirectory);

    const { progress } = await run({});
    const shopify = progress.exports().find((entry) => entry.exportName === SHOPIFY)!;
    const klaviyo = progress.exports().find((entry) => entry.exportName === KLAVIYO)!;
    expect(shopify).toMatchObject({ step: 'delivered', rows: 5 });
    expectFile(await deliveredText(shopify.fileName!), SHOPIFY, added);
    expect(klaviyo).toMatchObject({ step: 'empty', rows: 0 });
    expect((await readdir(stack.deliveryDirectory)).sort()).toEqual([...before, shopify.fileName].sort());

    const history = await historyOf([klaviyo.runId!], (rows) =>
      rows.some((row) => row.event_type === 'extract.empty'),
    );
    expect(history.find((row) => row.event_type === 'extract.empty')).toMatchObject({
      export_status: 'success',
      rows_exported: 0,
    });

    expect(eventsOf('extract.staged', shopify.runId!)[0]).toMatchObject({ lateRows: 3 });
    expect(eventsOf('extract.empty', klaviyo.runId!)[0]).toMatchObject({ lateRows: 0 });
    const lateRowsOf = async (runId: string): Promise<unknown> => {
      const [rows] = await stack.clients.bigquery.query({
        query: `SELECT late_rows FROM \`${stack.config.metadataTable}_events\` WHERE run_id = @run AND event_type LIKE 'extract.%' AND event_type != 'extract.started'`,
        params: { run: runId },
      });
      return (rows as { late_rows: unknown }[])[0]?.late_rows;
    };
    expect(
      await pollUntil(() => lateRowsOf(shopify.runId!), { describe: 'the late_rows history value', ...WAIT }),
    ).toBe(3);
    expect(await lateRowsOf(klaviyo.runId!)).toBe(0);
    const alert = `${SHOPIFY}: 3 rows arrived below the watermark`;
    await pollUntil(
      () =>
        stack.cloud.smtp.messages().some((mail) => mail.subject?.includes(alert)) &&
        stack.cloud.slack.posts().some((post) => JSON.stringify(post.payload).includes(alert))
          ? true
          : undefined,
      { describe: 'the late-rows alert', ...WAIT },
    );
    const alerts = stack.cloud.smtp
      .messages()
      .filter((mail) => mail.subject?.includes('below the watermark'));
    expect(alerts).toHaveLength(1);
    // Figures only: no value of a late row is in the alert.
    const values = late
      .flatMap((row) => Object.values(row))
      .filter((value): value is string => typeof value === 'string' && value.length > 8);
    for (const value of values) expect(alerts[0]?.text).not.toContain(value);
  }, 240_000);

  it('SFTP down: the file is dead-lettered; after the server is back, bq-sftp replay delivers it exactly once', async () => {
    const lastHigh = tap
      .events()
      .filter(
        (event): event is ExportEventOf<'extract.started'> =>
          event.type === 'extract.started' && event.exportName === SHOPIFY,
      )
      .map((event) => event.window.high)
      .sort()
      .at(-1)!;
    const added = newRows('shopify', 3, lastHigh, 600_000);
    await insert('shopify', added);
    await sftp.halt();
    let runId: string;
    let fileName: string;
    try {
      const { progress } = await run({ exports: [SHOPIFY] });
      const [failed] = progress.failures();
      expect(failed).toMatchObject({ exportName: SHOPIFY, error: { step: 'upload' } });
      runId = failed!.runId!;
      await pollUntil(
        () => (stack.cloud.pubsub.outstanding(fileReadyDeadLetters).length === 1 ? true : undefined),
        { describe: 'the dead letter', ...WAIT },
      );
      fileName = eventsOf('extract.staged', runId)[0]!.file.fileName;
      expect(await readdir(stack.deliveryDirectory)).not.toContain(fileName);
    } finally {
      await sftp.restart();
    }
    const replayed = await bqSftp('replay', '--subscription', fileReadyDeadLetters, '--json');
    expect(replayed).toContain(runId);
    const delivered = await pollUntil(() => eventsOf('upload.delivered', runId)[0], {
      describe: 'the replayed delivery',
      ...WAIT,
    });
    expect(delivered.fileName).toBe(fileName);
    await pollUntil(
      () =>
        stack.cloud.pubsub.outstanding(topologyOf(Topics.fileReady).subscription).length === 0
          ? true
          : undefined,
      { describe: 'the replayed message acked', ...WAIT },
    );
    expect(stack.cloud.pubsub.outstanding(fileReadyDeadLetters)).toHaveLength(0);
    expect(eventsOf('upload.delivered', runId)).toHaveLength(1);
    const files = await readdir(stack.deliveryDirectory);
    expect(files.filter((name) => name === fileName)).toHaveLength(1);
    expect(files.filter((name) => name.endsWith('.part'))).toEqual([]);
    expectFile(await deliveredText(fileName), SHOPIFY, added);
  }, 300_000);

  it('bq-sftp resend: the partner receives the file again and the history records the resend', async () => {
    const runId = firstRuns.get(SHOPIFY)!;
    const fileName = eventsOf('upload.delivered', runId)[0]!.fileName;
    const original = await deliveredText(fileName);
    // The partner has picked the file up and moved it away.
    await rename(path.join(stack.deliveryDirectory, fileName), path.join(workDir, fileName));

    const output = await bqSftp('resend', '--run', runId, '--export', SHOPIFY, '--json');
    expect(output).toContain(runId);
    const resent = await pollUntil(
      () => eventsOf('upload.delivered', runId).find((event) => event.resendId !== undefined),
      { describe: 'the resend', ...WAIT },
    );
    expect(await deliveredText(fileName)).toBe(original);
    const history = await historyOf([runId], (rows) => rows.some((row) => row.resend_id === resent.resendId));
    expect(history.find((row) => row.resend_id === resent.resendId)).toMatchObject({
      event_type: 'upload.delivered',
      export_status: 'success',
      file_name: fileName,
    });
  }, 240_000);
});
