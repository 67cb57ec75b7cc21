import { topologyOf, Topics } from '@bq-sftp-export/contracts';
import type { ExportEvent, ExportEventOf } from '@bq-sftp-export/contracts';
import { queryHistory } from '@bq-sftp-export/demo';
import type { HistoryRow } from '@bq-sftp-export/demo';
import { isPollTimeout, pollUntil } from '@bq-sftp-export/testing';

import type { ExpectedRepeats } from './kill-points.js';
import type { MatrixStack } from './matrix-stack.js';
import { requestExport } from './request-export.js';
import { readDeliveryDirectory } from './delivered-files.js';
import { checkSequences } from './sequence-check.js';
import type { SequencedSource } from './source-table.js';

const TOPICS = [Topics.exportRequests, Topics.fileReady, Topics.exportEvents] as const;

/** What one run left behind after its services were killed and restarted, as counts of faults. */
export interface RunAudit {
  readonly runId: string | undefined;
  /** Every check's conditions held within the time given (else the counts are as found then). */
  readonly settled: boolean;
  readonly rowsLost: number;
  readonly rowsDuplicated: number;
  /** Final files that do not parse completely or differ from what was reported delivered, plus temporary files left. */
  readonly partialFiles: number;
  /** Runs' files without exactly one `upload.delivered` (and one `extract.staged`) history row. */
  readonly inconsistentHistory: number;
  /** The checkpoint's committed high is not the run's window high, or its lease is still held. */
  readonly checkpointWrong: boolean;
  /** Notifications beyond one per channel that the design does not expect for this fault. */
  readonly extraNotifications: number;
  /** Each failed check in words, for the test's message and the runner's log. */
  readonly problems: readonly string[];
}

export interface AuditOptions {
  readonly requestId: string;
  /** The sequence numbers inserted for this run: its file must hold exactly these. */
  readonly runIds: readonly number[];
  readonly repeats: ExpectedRepeats;
  readonly timeoutMs: number;
  /** `deadLetters(matrix)` before the run: any more afterwards is a failure. */
  readonly deadLettersBefore: number;
}

/** Messages waiting on the three dead-letter subscriptions. */
export function deadLetters(matrix: MatrixStack): number {
  return TOPICS.reduce(
    (sum, topic) =>
      sum + matrix.demo.cloud.pubsub.outstanding(topologyOf(topic).deadLetterSubscription).length,
    0,
  );
}

/** `2026-01-05T08:00:00.5Z` and `2026-01-05T08:00:00.500000Z` are the same instant. */
function instantKey(text: string | undefined): string | undefined {
  return text?.replace(
    /(?:\.(\d+))?Z$/,
    (_match, fraction: string | undefined) => `.${(fraction ?? '').padEnd(6, '0')}Z`,
  );
}

function eventsOf<T extends ExportEvent['type']>(
  matrix: MatrixStack,
  type: T,
  runId: string,
): ExportEventOf<T>[] {
  return matrix.tap
    .events()
    .filter((event): event is ExportEventOf<T> => event.type === type && event.runId === runId);
}

/**
 * Waits for the run of `requestId` to settle — delivered, its checkpoint committed, nothing
 * outstanding on any subscription, its history and notifications written — then checks every
 * invariant of the kill matrix over everything the partner has received so far.
 */
export async function auditRun(
  matrix: MatrixStack,
  source: SequencedSource,
  options: AuditOptions,
): Promise<RunAudit> {
  const { demo } = matrix;
  const runIdOf = (): string | undefined =>
    matrix.tap
      .events()
      .find((event) => event.type === 'extract.started' && event.requestId === options.requestId)?.runId;
  const historyOf = async (runId: string): Promise<HistoryRow[]> =>
    (await queryHistory(demo.clients.bigquery, demo.config.metadataTable, demo.config.name)).filter(
      (row) => row.run_id === runId,
    );
  const outstanding = (): number =>
    TOPICS.reduce(
      (sum, topic) => sum + demo.cloud.pubsub.outstanding(topologyOf(topic).subscription).length,
      0,
    );

  let waitingFor = 'the run to start';
  let history: HistoryRow[] = [];
  // True once settled; until then `waitingFor` names the first thing still missing.
  const settle = async (): Promise<true | undefined> => {
    const runId = runIdOf();
    const checkpoint = await source.checkpoint();
    if (runId === undefined) waitingFor = 'extract.started';
    else if (eventsOf(matrix, 'upload.delivered', runId).length === 0) waitingFor = 'upload.delivered';
    else if (checkpoint.leaseRunId !== undefined || checkpoint.committedRunId !== runId)
      waitingFor = 'the checkpoint commit';
    else if (outstanding() > 0) waitingFor = 'every subscription to be drained';
    else {
      history = await historyOf(runId);
      const channels = new Set(
        history
          .filter((row) => row.event_type === 'notification.sent')
          .map((row) => row.notification_channel),
      );
      if (!history.some((row) => row.event_type === 'upload.delivered'))
        waitingFor = 'the delivered history row';
      else if (channels.size < 2) waitingFor = 'both notifications';
      else return true;
    }
    return undefined;
  };
  const settled = await pollUntil(settle, {
    describe: 'the run to settle',
    timeoutMs: options.timeoutMs,
    intervalMs: 500,
  }).catch((error: unknown) => {
    if (isPollTimeout(error)) return false;
    throw error;
  });

  const problems: string[] = [];
  if (!settled) problems.push(`not settled after ${options.timeoutMs} ms: waiting for ${waitingFor}`);
  const runId = runIdOf();

  const directory = await readDeliveryDirectory(demo.deliveryDirectory);
  // What the uploader verified and reported for each name it delivered.
  const deliveredSha = new Map(
    matrix.tap
      .events()
      .filter((event): event is ExportEventOf<'upload.delivered'> => event.type === 'upload.delivered')
      .map((event) => [event.fileName, event.sha256]),
  );
  const partial = directory.files.filter(
    (file) => file.ids === undefined || deliveredSha.get(file.name) !== file.sha256,
  );
  for (const file of partial)
    problems.push(`final file ${file.name} is partial or not the file reported delivered`);
  for (const name of directory.temporary) problems.push(`temporary file ${name} left in the directory`);

  const sequences = checkSequences(
    source.ids(),
    directory.files.map((file) => file.ids ?? []),
  );
  if (sequences.lost.length > 0)
    problems.push(`${sequences.lost.length} rows lost (first ${sequences.lost[0]})`);
  if (sequences.duplicated.length > 0)
    problems.push(`${sequences.duplicated.length} rows duplicated (first ${sequences.duplicated[0]})`);
  if (sequences.unexpected.length > 0) problems.push(`${sequences.unexpected.length} rows never inserted`);

  let inconsistentHistory = 0;
  let checkpointWrong = false;
  let extraNotifications = 0;
  if (runId !== undefined) {
    const delivered = eventsOf(matrix, 'upload.delivered', runId).filter(
      (event) => event.resendId === undefined,
    );
    const fileNames = [...new Set(delivered.map((event) => event.fileName))];
    if (fileNames.length !== 1) problems.push(`run ${runId} delivered ${fileNames.length} files, 1 expected`);
    const runFile = directory.files.find((file) => file.name === fileNames[0]);
    const runRows = new Set(runFile?.ids ?? []);
    if (runRows.size !== options.runIds.length || options.runIds.some((id) => !runRows.has(id))) {
      problems.push(
        `run ${runId}'s file does not hold exactly the ${options.runIds.length} rows inserted for it`,
      );
    }

    if (history.length === 0) history = await historyOf(runId);
    const count = (type: string, fileName?: string): number =>
      history.filter(
        (row) =>
          row.event_type === type &&
          row.resend_id === null &&
          (fileName === undefined || row.file_name === fileName),
      ).length;
    for (const fileName of fileNames) {
      const rows = count('upload.delivered', fileName);
      if (rows !== 1) {
        inconsistentHistory += 1;
        problems.push(`${rows} upload.delivered history rows for ${fileName}, 1 expected`);
      }
    }
    for (const type of ['extract.started', 'extract.staged']) {
      const rows = count(type);
      if (rows !== 1) {
        inconsistentHistory += 1;
        problems.push(`${rows} ${type} history rows for run ${runId}, 1 expected`);
      }
    }

    const started = eventsOf(matrix, 'extract.started', runId)[0];
    const checkpoint = await source.checkpoint();
    if (
      checkpoint.leaseRunId !== undefined ||
      instantKey(checkpoint.committedHigh) !== instantKey(started?.window.high)
    ) {
      checkpointWrong = true;
      problems.push(
        `checkpoint committed ${checkpoint.committedHigh ?? 'nothing'} (lease ${checkpoint.leaseRunId ?? 'none'}), the run's window ends ${started?.window.high ?? '?'}`,
      );
    }

    const emails = demo.cloud.smtp.messages().filter((mail) => (mail.text ?? '').includes(runId)).length;
    const posts = demo.cloud.slack
      .posts()
      .filter((post) => JSON.stringify(post.payload).includes(runId)).length;
    const expectedEmails = 1 + options.repeats.email;
    const expectedPosts = 1 + options.repeats.slack;
    if (emails !== expectedEmails)
      problems.push(`${emails} emails for run ${runId}, ${expectedEmails} expected`);
    if (posts !== expectedPosts)
      problems.push(`${posts} Slack posts for run ${runId}, ${expectedPosts} expected`);
    extraNotifications = Math.max(0, emails - expectedEmails) + Math.max(0, posts - expectedPosts);
  }
  const dead = deadLetters(matrix) - options.deadLettersBefore;
  if (dead > 0) problems.push(`${dead} new dead letters`);

  return {
    runId,
    settled,
    rowsLost: sequences.lost.length,
    rowsDuplicated: sequences.duplicated.length,
    partialFiles: partial.length + directory.temporary.length,
    inconsistentHistory,
    checkpointWrong,
    extraNotifications,
    problems,
  };
}

/**
 * A run without faults: requests the export and audits it. `rows` new sequenced rows are
 * inserted first; with 0, the run is the first one and must hold every row inserted so far.
 */
export async function cleanRun(
  matrix: MatrixStack,
  source: SequencedSource,
  rows: number,
  timeoutMs: number,
): Promise<RunAudit> {
  const deadLettersBefore = deadLetters(matrix);
  const runIds = rows === 0 ? [...source.ids()] : await source.insert(rows);
  const requestId = await requestExport(matrix, 'clean');
  return auditRun(matrix, source, {
    requestId,
    runIds,
    repeats: { email: 0, slack: 0 },
    timeoutMs,
    deadLettersBefore,
  });
}
