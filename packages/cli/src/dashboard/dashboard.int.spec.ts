/// <reference lib="dom" />
// The callbacks of page.$$eval and page.evaluate run in Chromium, on its DOM.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import type { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import type { LocalCloud } from '@bq-sftp-export/local-cloud';
import { googleClientsFromEnv, startLocalCloud } from '@bq-sftp-export/local-cloud';

import { runCaptured } from '../testing/run-captured.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const trackerReadme = path.join(repoRoot, 'services/tracker-notifier/README.md');

const HOUR = 3_600_000;
const EVIL_EXPORT = `<img src=x onerror="document.title='pwned'">`;
const EVIL_MESSAGE = `</td></tr></table><script>window.pwned = 1</script><b>bold</b>`;
const ROW_VALUE = 'ROW-VALUE-never-shown-7f3a';

/**
 * The history table and its three views exactly as tracker-notifier's README documents them
 * (its readme.spec keeps the README equal to the code that creates them), in dataset `ops`.
 */
async function createHistory(bigquery: BigQuery): Promise<void> {
  const readme = await readFile(trackerReadme, 'utf8');
  const columns = [
    ...readme.matchAll(/^\| `([a-z_0-9]+)`\s+\| (STRING|TIMESTAMP|INT64|BOOL)( NOT NULL)?\s+\|/gm),
  ].map((match) => `${match[1]} ${match[2]}${match[3] ?? ''}`);
  expect(columns.length).toBeGreaterThan(25);
  const views = [...readme.matchAll(/```sql\n(CREATE OR REPLACE VIEW[\s\S]*?)```/g)].map((match) =>
    match[1]!.replaceAll('project.dataset.', 'ops.'),
  );
  expect(views).toHaveLength(3);
  await bigquery.createDataset('ops');
  await bigquery.query(`CREATE TABLE \`ops.export_metadata\` (${columns.join(', ')})`);
  for (const view of views) await bigquery.query(view);
}

interface Seeded {
  export_name: string;
  run_id: string;
  event_type: string;
  export_status: string;
  at: number;
  started?: number;
  rows?: number;
  bytes?: number;
  code?: string;
  message?: string;
  retryable?: boolean;
}

/** History rows as tracker-notifier writes them: insertAll, one per event, insertId = event_id. */
async function seedHistory(bigquery: BigQuery, now: number): Promise<void> {
  const seeded: Seeded[] = [];
  const delivered = (exportName: string, run: string, at: number, rows: number, seconds: number): void => {
    const started = at - seconds * 1000;
    seeded.push(
      {
        export_name: exportName,
        run_id: run,
        event_type: 'extract.started',
        export_status: 'running',
        at: started,
        started,
      },
      {
        export_name: exportName,
        run_id: run,
        event_type: 'extract.staged',
        export_status: 'staged',
        at: at - 1000,
        started,
        rows,
        bytes: rows * 40,
      },
      {
        export_name: exportName,
        run_id: run,
        event_type: 'upload.delivered',
        export_status: 'success',
        at,
        started: at - 900,
        rows,
        bytes: rows * 40,
      },
    );
  };
  for (const [index, rows] of [1200, 1350, 900, 1500, 1420].entries())
    delivered(
      'orders',
      `orders-run-${index}`,
      now - (4 - index) * 24 * HOUR - 3 * HOUR,
      rows,
      20 + index * 5,
    );
  seeded.push(
    {
      export_name: 'orders',
      run_id: 'orders-run-5',
      event_type: 'extract.staged',
      export_status: 'staged',
      at: now - 2 * HOUR - 60_000,
      started: now - 2 * HOUR - 90_000,
      rows: 800,
      bytes: 32_000,
    },
    {
      export_name: 'orders',
      run_id: 'orders-run-5',
      event_type: 'upload.failed',
      export_status: 'retrying',
      at: now - 2 * HOUR - 30_000,
      code: 'SFTP_UNAVAILABLE',
      message: 'connect ECONNREFUSED partner.example:22',
      retryable: true,
    },
    {
      export_name: 'orders',
      run_id: 'orders-run-5',
      event_type: 'upload.failed',
      export_status: 'failed',
      at: now - 2 * HOUR,
      code: 'SFTP_AUTH_FAILED',
      message: 'authentication failed for user partner',
      retryable: false,
    },
  );
  delivered('customers', 'customers-run-0', now - 72 * HOUR, 300, 12);
  seeded.push(
    {
      export_name: 'customers',
      run_id: 'customers-run-1',
      event_type: 'extract.started',
      export_status: 'running',
      at: now - 20 * HOUR,
      started: now - 20 * HOUR,
    },
    {
      export_name: 'customers',
      run_id: 'customers-run-1',
      event_type: 'extract.failed',
      export_status: 'failed',
      at: now - 20 * HOUR + 5000,
      started: now - 20 * HOUR,
      code: 'BQ_QUERY_FAILED',
      message: EVIL_MESSAGE,
      retryable: false,
    },
  );
  delivered(EVIL_EXPORT, 'evil-run', now - HOUR, 7, 3);
  const rows = seeded.map((row, index) => ({
    insertId: `event-${index}`,
    json: {
      config_name: 'dash',
      export_name: row.export_name,
      source_table: `ds.${row.export_name.startsWith('<') ? 'evil' : row.export_name}`,
      run_id: row.run_id,
      event_id: `event-${index}`,
      event_type: row.event_type,
      export_status: row.export_status,
      occurred_at: new Date(row.at).toISOString(),
      recorded_at: new Date(row.at + 500).toISOString(),
      ...(row.event_type === 'extract.started' ? {} : { completed_at: new Date(row.at).toISOString() }),
      ...(row.started === undefined ? {} : { started_at: new Date(row.started).toISOString() }),
      ...(row.rows === undefined
        ? {}
        : {
            rows_exported: row.rows,
            byte_size: row.bytes,
            file_name: `${row.run_id}.csv`,
            sha256: 'ab'.repeat(32),
            last_exported_value: ROW_VALUE,
            last_export_timestamp: new Date(row.at - HOUR).toISOString(),
          }),
      ...(row.event_type === 'upload.delivered' ? { remote_path: `/in/${row.run_id}.csv` } : {}),
      ...(row.code === undefined
        ? {}
        : { error_code: row.code, error_message: row.message, error_retryable: row.retryable }),
    },
  }));
  await bigquery.dataset('ops').table('export_metadata').insert(rows, { raw: true });
}

async function openBrowser(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Loads the page, failing on any console error, page error or request leaving the page. */
async function load(context: BrowserContext, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (request.url() !== url) problems.push(`request to ${request.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

describe('bq-sftp dashboard in headless Chromium', () => {
  let cloud: LocalCloud;
  let env: Record<string, string>;
  let directory: string;
  let context: BrowserContext;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    directory = await mkdtemp(path.join(tmpdir(), 'bqx-cli-dashboard-'));
    await mkdir(path.join(directory, 'configs'));
    await writeFile(
      path.join(directory, 'configs', 'dash.json'),
      JSON.stringify({
        exports: ['orders', 'customers', 'events'].map((name) => ({
          name,
          source_table: `ds.${name}`,
          destination_filename: `${name.toUpperCase()}_{run_id}.csv`,
          columns: ['id'],
        })),
        sftp: { path: '/in' },
        metadata_table: 'ops.export_metadata',
      }),
    );
    env = { ...cloud.env(), CONFIG_SOURCE: path.join(directory, 'configs') };
    const { bigquery } = googleClientsFromEnv(env);
    await createHistory(bigquery);
    await seedHistory(bigquery, Date.now());
    context = await openBrowser(path.join(directory, 'chromium-profile'));
  });

  afterAll(async () => {
    await context?.close();
    await cloud?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('--out writes a page that renders the seeded history: exports, freshness, counts, error codes, charts', async () => {
    const file = path.join(directory, 'dashboard.html');
    const result = await runCaptured(
      ['dashboard', '--config', 'dash', '--out', file, '--every-export', 'customers=2d'],
      env,
    );
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/^wrote .*dashboard\.html \(\d+ bytes\)/);
    const markup = await readFile(file, 'utf8');
    expect(markup).not.toContain(ROW_VALUE);
    expect(markup).not.toMatch(/<script|<img|<b>/i);

    const { page, problems } = await load(context, pathToFileURL(file).href);
    expect(await page.title()).toBe('bq-sftp-export: dash');
    const exports = await page.$$eval('#exports tbody tr', (rows) =>
      rows.map((row) => ({
        name: row.getAttribute('data-export'),
        freshness: row.querySelector('[data-freshness]')?.getAttribute('data-freshness'),
        runs: row.querySelector('[data-runs]')?.textContent,
        failed: row.querySelector('[data-failed]')?.textContent,
        text: (row as HTMLElement).innerText,
      })),
    );
    expect(exports.map(({ name, freshness, runs, failed }) => [name, freshness, runs, failed])).toEqual([
      ['orders', 'fresh', '6', '1'],
      // Its last success is 72 h old: late for the 2-day schedule plus 2 h of grace.
      ['customers', 'late', '2', '1'],
      ['events', 'never', '0', '0'],
      [EVIL_EXPORT, 'fresh', '1', '0'],
    ]);
    expect(exports[0]!.text).toContain('orders-run-4.csv');
    expect(exports[0]!.text).toContain('1,420 rows');
    expect(exports[0]!.text).toContain('/in/orders-run-4.csv');
    expect(exports[0]!.text).toContain('SFTP_AUTH_FAILED');
    expect(exports[1]!.text).toContain('every 2.0 d');
    expect(exports[2]!.text).toContain('none delivered');

    const failures = await page.$$eval('#failures tbody tr', (rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
    );
    expect(failures.map((cells) => [cells[1], cells[4], cells[5]])).toEqual([
      ['orders', 'failed', 'SFTP_AUTH_FAILED'],
      ['orders', 'retrying', 'SFTP_UNAVAILABLE'],
      ['customers', 'failed', 'BQ_QUERY_FAILED'],
    ]);
    expect(failures[2]![6]).toBe(EVIL_MESSAGE);

    const charts = await page.$$eval('svg[data-chart]', (svgs) =>
      svgs.map((svg) => [
        svg.closest('section')?.getAttribute('data-export') ?? svg.closest('section')?.id,
        svg.getAttribute('data-chart'),
        svg.querySelectorAll('rect.bar').length,
        (svg as unknown as SVGGraphicsElement).getBBox().width > 0,
      ]),
    );
    expect(charts).toEqual([
      ['orders', 'rows per run', 6, true],
      ['orders', 'bytes per run', 6, true],
      ['orders', 'duration per run', 6, true],
      ['customers', 'rows per run', 2, true],
      ['customers', 'bytes per run', 2, true],
      ['customers', 'duration per run', 2, true],
      ['events', 'rows per run', 0, true],
      ['events', 'bytes per run', 0, true],
      ['events', 'duration per run', 0, true],
      [EVIL_EXPORT, 'rows per run', 1, true],
      [EVIL_EXPORT, 'bytes per run', 1, true],
      [EVIL_EXPORT, 'duration per run', 1, true],
      ['failures', 'failures by error code', 3, true],
    ]);
    // The newest orders run failed after staging 800 rows: its bar is drawn red.
    const lastOrdersBar = await page.$eval(
      'section.export[data-export="orders"] svg rect.bar:last-of-type',
      (bar) => [bar.getAttribute('class'), bar.querySelector('title')?.textContent],
    );
    expect(lastOrdersBar).toEqual(['bar tone-failed', expect.stringMatching(/orders-run-5 failed: 800$/)]);

    // The hostile export name and error message are text, nothing else.
    expect(await page.evaluate(() => document.querySelectorAll('img, script, b').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(await page.locator('body').innerText()).toContain(EVIL_EXPORT);

    const shots = path.join(repoRoot, '.jest-results');
    await mkdir(shots, { recursive: true });
    await page.setViewportSize({ width: 1400, height: 900 });
    const screenshot = await page.screenshot({ path: path.join(shots, 'cli-dashboard.png'), fullPage: true });
    expect(screenshot.length).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('--serve answers on 127.0.0.1 with the page read afresh, 404 elsewhere, and stops on signal', async () => {
    const controller = new AbortController();
    let announced: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (announced = resolve));
    const running = runCaptured(['dashboard', '--config', 'dash', '--serve', '--port', '0'], env, {
      signal: controller.signal,
      onOut: (out) => {
        const match = /dashboard at (\S+)/.exec(out);
        if (match !== null) announced(match[1]!);
      },
    });
    try {
      const address = await Promise.race([
        url,
        running.then((result) => Promise.reject(new Error(result.err))),
      ]);
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const { page, problems } = await load(context, address);
      expect(await page.locator('#config-name').innerText()).toBe('dash');
      expect(await page.locator('#exports tbody tr').count()).toBe(4);
      expect(problems).toEqual([]);
      await page.close();
      const missing = await fetch(new URL('/nope', address));
      expect(missing.status).toBe(404);
      const post = await fetch(address, { method: 'POST' });
      expect(post.status).toBe(405);
    } finally {
      controller.abort();
    }
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.err).toContain('dashboard stopped');
  });

  it('refuses to run without exactly one of --out and --serve, and an --every-export naming no export', async () => {
    const neither = await runCaptured(['dashboard', '--config', 'dash'], env);
    expect(neither.code).toBe(2);
    expect(neither.err).toContain('give either --out <file> or --serve');
    const unknown = await runCaptured(
      ['dashboard', '--config', 'dash', '--out', path.join(directory, 'x.html'), '--every-export', 'nope=6h'],
      env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--every-export nope=6h: the config has no export nope');
    const badInterval = await runCaptured(
      ['dashboard', '--config', 'dash', '--serve', '--every', 'daily'],
      env,
    );
    expect(badInterval.code).toBe(2);
    expect(badInterval.err).toContain('expected an interval such as 90m, 6h or 1d');
  });
});
