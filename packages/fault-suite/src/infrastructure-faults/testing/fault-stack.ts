import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import { encodeMessage, Topics } from '@bq-sftp-export/contracts';
import type { ExportEvent, ExportEventOf, ExportRequestedInput } from '@bq-sftp-export/contracts';
import { DEMO_CONFIG_NAME, requestAndFollow } from '@bq-sftp-export/demo';
import type { DemoStack, EventTap, FollowResult } from '@bq-sftp-export/demo';
import { pollUntil } from '@bq-sftp-export/testing';
import type { OpenSshServer } from '@bq-sftp-export/testing';

import { repoRoot, startSuiteStack } from '../../testing/suite-stack.js';
import type { SuiteStack } from '../../testing/suite-stack.js';
import { startFaultProxy } from './fault-proxy.js';
import type { FaultProxy } from './fault-proxy.js';

export { repoRoot };
export const SHOPIFY = 'shopify_customers';
export const KLAVIYO = 'klaviyo_customers';

/** How the infrastructure-fault tests wait (`pollUntil(check, { describe, ...WAIT })`): 120 s, every 200 ms. */
export const WAIT = { timeoutMs: 120_000, intervalMs: 200 } as const;

/**
 * The three built services on the local cloud with `fastRetries`, delivering through a
 * `FaultProxy` to a real OpenSSH server, and a tap on `export-events`.
 */
export interface FaultStack {
  readonly stack: DemoStack;
  readonly sftp: OpenSshServer;
  readonly proxy: FaultProxy;
  readonly tap: EventTap;
  readonly workDir: string;
  /** The SFTP password the services log in with: it must never appear in a log. */
  readonly password: string;
  /** Events of one type (and run), in arrival order. */
  eventsOf<T extends ExportEvent['type']>(type: T, runId?: string): ExportEventOf<T>[];
  /** Publishes `export.requested` in a later second than every earlier run and follows it. */
  run(request: Omit<ExportRequestedInput, 'config'>, timeoutMs?: number): Promise<FollowResult>;
  /** Publishes `export.requested` like `run` without waiting; returns its request id. */
  request(request: Omit<ExportRequestedInput, 'config'>): Promise<string>;
  /** The partner's directory listing (final names and temporary ones). */
  delivered(): Promise<string[]>;
  /** Runs the built `bq-sftp` CLI with the stack's environment; its stdout. */
  bqSftp(...args: string[]): Promise<string>;
  /** The export's checkpoint document in the staging bucket (the extractor's watermark and lease). */
  checkpoint(exportName: string): Promise<Record<string, unknown>>;
  /** Slack posts received so far whose text starts with `prefix` (`shopify_customers FAILED`). */
  postsSaying(prefix: string): ReturnType<DemoStack['cloud']['slack']['posts']>;
  /** Email subjects received so far that name the export. */
  subjectsAbout(exportName: string): string[];
  /** Every service log so far, concatenated. */
  logs(): Promise<string>;
  stop(): Promise<void>;
}

export async function startFaultStack(options: { rowsPerTable: number }): Promise<FaultStack> {
  let proxy: FaultProxy | undefined;
  const suite = await startSuiteStack({
    prefix: 'infra-faults',
    rowsPerTable: options.rowsPerTable,
    sftpFront: async (sftp) => (proxy = await startFaultProxy(sftp.port)),
  });
  return faultStack(suite, proxy!);
}

function faultStack(suite: SuiteStack, proxy: FaultProxy): FaultStack {
  const { demo: stack, sftp, tap, workDir } = suite;
  const password = sftp.password ?? '';
  const waitForNewSecond = async (): Promise<void> => {
    // File names carry the run's start to the second: start each run in a later second than
    // every earlier event, as a scheduler would, so two runs never share a name.
    const last = Math.max(0, ...tap.events().map((event) => Date.parse(event.occurredAt)));
    await pollUntil(() => (Math.floor(Date.now() / 1000) > Math.floor(last / 1000) ? true : undefined), {
      describe: 'a new second',
      ...WAIT,
    });
  };
  const eventsOf = <T extends ExportEvent['type']>(type: T, runId?: string): ExportEventOf<T>[] =>
    tap
      .events()
      .filter(
        (event): event is ExportEventOf<T> =>
          event.type === type && (runId === undefined || event.runId === runId),
      );
  return {
    stack,
    sftp,
    proxy,
    tap,
    workDir,
    password,
    eventsOf,
    run: async (request, timeoutMs = 120_000) => {
      await waitForNewSecond();
      const result = await requestAndFollow(
        stack.clients.pubsub,
        tap,
        { config: DEMO_CONFIG_NAME, ...request },
        { exportNames: request.exports ?? [SHOPIFY, KLAVIYO], timeoutMs, services: () => stack.services() },
      );
      if (!result.settled)
        throw new Error(`the run did not settle: ${JSON.stringify(result.progress.exports())}`);
      return result;
    },
    request: async (request) => {
      await waitForNewSecond();
      const requestId = `infra-faults-${Date.now()}`;
      await stack.clients.pubsub
        .topic(Topics.exportRequests)
        .publishMessage(
          encodeMessage('export.requested', { config: DEMO_CONFIG_NAME, ...request, requestId }),
        );
      return requestId;
    },
    delivered: async () => (await readdir(stack.deliveryDirectory)).sort(),
    bqSftp: async (...args) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.join(repoRoot, 'packages', 'cli', 'dist', 'main.js'), ...args],
        { env: { PATH: process.env['PATH'] ?? '', ...stack.env }, cwd: workDir },
      );
      return stdout;
    },
    checkpoint: async (exportName) =>
      JSON.parse(
        (
          await stack.cloud.gcs.readObject(
            stack.cloud.stagingBucket,
            `checkpoints/${DEMO_CONFIG_NAME}/${exportName}.json`,
          )
        ).toString('utf8'),
      ) as Record<string, unknown>,
    postsSaying: (prefix) =>
      stack.cloud.slack.posts().filter((post) => String(post.payload['text']).startsWith(prefix)),
    subjectsAbout: (exportName) =>
      stack.cloud.smtp
        .messages()
        .map((mail) => mail.subject ?? '')
        .filter((subject) => subject.includes(exportName)),
    logs: async () => {
      const files = await readdir(stack.logDirectory);
      const texts = await Promise.all(
        files.map((file) => readFile(path.join(stack.logDirectory, file), 'utf8')),
      );
      return texts.join('\n');
    },
    stop: suite.stop,
  };
}
