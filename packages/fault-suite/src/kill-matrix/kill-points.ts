import { FaultPoints, type FaultPoint } from '@bq-sftp-export/runtime';
import type { ServiceName } from '@bq-sftp-export/demo';

/** A number in [0, 1), e.g. `Math.random`; the long form passes a seeded one. */
export type Random = () => number;

/** Notifications a kill at this point is expected to send twice (by design, see the README). */
export interface ExpectedRepeats {
  readonly email: number;
  readonly slack: number;
}

/** One row of the kill matrix: where the service dies, and how the short and long forms arm it. */
export interface KillPoint {
  readonly point: FaultPoint;
  readonly service: ServiceName;
  /** The CI form's `BQX_FAULT_INJECTION` rule: one fixed, representative moment. */
  readonly ciRule: string;
  /** The long form's rule: a random hit, share of the work or delay after the point. */
  randomRule(random: Random, rowsPerRun: number): string;
  /** Repeats the design accepts for a kill by `rule` (a notification sent, not yet recorded). */
  expectedRepeats(rule: string): ExpectedRepeats;
  /** Environment the service gets for the trial, armed and after its restart. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Rows per Arrow batch of the matrix's local Storage Read API (`startMatrixStack` sets it), so a
 * trial's rows come in several batches and `extractor.arrow-batch` can die between two of them.
 */
export const MATRIX_ARROW_BATCH_ROWS = 100;

const none: ExpectedRepeats = { email: 0, slack: 0 };
const between = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));

/** A kill right at the point, or after a random delay of up to `maxDelayMs` (the work runs on). */
function atOrAfter(point: FaultPoint, maxDelayMs: number): (random: Random) => string {
  return (random) => {
    const delay = random() < 0.5 ? 0 : between(random, 1, maxDelayMs);
    return `${point}:kill${delay === 0 ? '' : `+${delay}ms`}`;
  };
}

function point(
  service: ServiceName,
  name: FaultPoint,
  randomRule: KillPoint['randomRule'],
  ciRule = `${name}:kill`,
  expectedRepeats: KillPoint['expectedRepeats'] = () => none,
): KillPoint {
  return { point: name, service, ciRule, randomRule, expectedRepeats };
}

/** Every fault point of the three services, in the order a run passes them. */
export const KILL_POINTS: readonly KillPoint[] = [
  point('extractor', FaultPoints.extractorLeaseTaken, atOrAfter(FaultPoints.extractorLeaseTaken, 300)),
  point(
    'extractor',
    FaultPoints.extractorRowRead,
    (random, rows) => `${FaultPoints.extractorRowRead}:kill@${between(random, 1, rows)}`,
    `${FaultPoints.extractorRowRead}:kill@500`,
  ),
  {
    ...point(
      'extractor',
      FaultPoints.extractorArrowBatch,
      (random, rows) =>
        `${FaultPoints.extractorArrowBatch}:kill@${between(random, 1, Math.ceil(rows / MATRIX_ARROW_BATCH_ROWS))}`,
      `${FaultPoints.extractorArrowBatch}:kill@5`,
    ),
    // Every result over the Storage Read API (Arrow), not REST pages: killed in the middle of it.
    env: { STORAGE_READ_MIN_ROWS: '1' },
  },
  point('extractor', FaultPoints.extractorStaged, atOrAfter(FaultPoints.extractorStaged, 200)),
  point('extractor', FaultPoints.extractorAnnounced, atOrAfter(FaultPoints.extractorAnnounced, 200)),
  point('uploader', FaultPoints.uploaderConnected, atOrAfter(FaultPoints.uploaderConnected, 300)),
  point(
    'uploader',
    FaultPoints.uploaderChunkSent,
    (random) => `${FaultPoints.uploaderChunkSent}:kill@${between(random, 1, 99)}%`,
    `${FaultPoints.uploaderChunkSent}:kill@50%`,
  ),
  point('uploader', FaultPoints.uploaderRenamed, atOrAfter(FaultPoints.uploaderRenamed, 100)),
  point('uploader', FaultPoints.uploaderRecorded, atOrAfter(FaultPoints.uploaderRecorded, 100)),
  point(
    'tracker-notifier',
    FaultPoints.trackerHistoryWritten,
    // A run's events reach tracker-notifier as extract.started, extract.staged, upload.delivered.
    (random) => `${FaultPoints.trackerHistoryWritten}:kill@${between(random, 1, 3)}`,
  ),
  point(
    'tracker-notifier',
    FaultPoints.trackerNotificationSent,
    (random) => `${FaultPoints.trackerNotificationSent}:kill@${between(random, 1, 2)}`,
    undefined,
    // Sent, killed before the ledger has it: the redelivery sends that channel's message again.
    (rule) => (rule.endsWith('@2') ? { email: 0, slack: 1 } : { email: 1, slack: 0 }),
  ),
];
