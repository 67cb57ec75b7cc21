import { AppError } from '../errors/app-error.js';
import type { ServiceEnvironment } from '../service/service-settings.js';
import { isFaultPoint, PROGRESS_FAULT_POINTS, type FaultPoint } from './fault-points.js';

/** The environment variable that arms fault injection; unset in production. */
export const FAULT_INJECTION_VARIABLE = 'BQX_FAULT_INJECTION';
export const FAULT_INJECTION_INVALID = 'FAULT_INJECTION_INVALID';

/**
 * What happens at an armed point: `kill` sends SIGKILL to the process (as `kill -9` would);
 * `hang` stops the work there for good (a SIGTERM then finds it in flight); `pause` stops it
 * there for its `+<ms>ms`, then lets it go on (holds a state, e.g. a lease, open for a race).
 */
export type FaultAction = 'kill' | 'hang' | 'pause';

/** When an armed point fires: on its n-th pass, or on the first pass at or past a fraction of the work. */
export type FaultTrigger =
  { readonly kind: 'hit'; readonly hit: number } | { readonly kind: 'progress'; readonly percent: number };

export interface FaultRule {
  readonly point: FaultPoint;
  readonly action: FaultAction;
  readonly trigger: FaultTrigger;
  /** `kill`: fire this long after the trigger, while the work goes on (random timing); `pause`: how long. */
  readonly delayMs: number;
}

const RULE = /^([a-z.-]+):(kill|hang|pause)(?:@(?:(\d+)|(\d+)%))?(?:\+(\d+)ms)?$/;

/**
 * Reads `BQX_FAULT_INJECTION`: comma-separated rules `<point>:<kill|hang|pause>[@<n>|@<p>%][+<ms>ms]`,
 * e.g. `uploader.renamed:kill`, `extractor.row-read:kill@250`, `uploader.chunk-sent:kill@50%`,
 * `uploader.connected:kill+120ms`, `extractor.lease-taken:pause+5000ms`. No variable, no rules. Refused on Cloud Run (`K_SERVICE` set),
 * so a stray variable can never kill a production service. Throws `FAULT_INJECTION_INVALID`.
 */
export function parseFaultPlan(environment: ServiceEnvironment): readonly FaultRule[] {
  const text = environment[FAULT_INJECTION_VARIABLE]?.trim() ?? '';
  if (text === '') return [];
  if ((environment['K_SERVICE'] ?? '') !== '') {
    throw invalid(
      `${FAULT_INJECTION_VARIABLE} is for tests and must not be set on Cloud Run (K_SERVICE is set)`,
    );
  }
  const rules = text.split(',').map((part) => parseRule(part.trim()));
  const points = rules.map((rule) => rule.point);
  const repeated = points.find((point, index) => points.indexOf(point) !== index);
  if (repeated !== undefined) throw invalid(`${FAULT_INJECTION_VARIABLE}: ${repeated} is armed twice`);
  return Object.freeze(rules);
}

function parseRule(text: string): FaultRule {
  const match = RULE.exec(text);
  if (match === null) {
    throw invalid(
      `${FAULT_INJECTION_VARIABLE}: expected <point>:<kill|hang|pause>[@<n>|@<p>%][+<ms>ms], got "${text}"`,
    );
  }
  const [, point = '', action, hit, percent, delay] = match;
  if (!isFaultPoint(point)) throw invalid(`${FAULT_INJECTION_VARIABLE}: unknown fault point "${point}"`);
  let trigger: FaultTrigger = { kind: 'hit', hit: 1 };
  if (hit !== undefined) {
    if (Number(hit) < 1) throw invalid(`${FAULT_INJECTION_VARIABLE}: hits count from 1, got "${text}"`);
    trigger = { kind: 'hit', hit: Number(hit) };
  } else if (percent !== undefined) {
    if (!PROGRESS_FAULT_POINTS.includes(point)) {
      throw invalid(`${FAULT_INJECTION_VARIABLE}: ${point} reports no progress; use @<n>`);
    }
    if (Number(percent) > 100) throw invalid(`${FAULT_INJECTION_VARIABLE}: percent over 100 in "${text}"`);
    trigger = { kind: 'progress', percent: Number(percent) };
  }
  const delayMs = delay === undefined ? 0 : Number(delay);
  if (delayMs > 0 && action === 'hang') {
    throw invalid(`${FAULT_INJECTION_VARIABLE}: a delay applies to kill and pause only, got "${text}"`);
  }
  if (delayMs === 0 && action === 'pause') {
    throw invalid(`${FAULT_INJECTION_VARIABLE}: pause needs its length, e.g. pause+2000ms, got "${text}"`);
  }
  return Object.freeze({ point, action: action as FaultAction, trigger, delayMs });
}

function invalid(message: string): AppError {
  return new AppError(message, { code: FAULT_INJECTION_INVALID, retryable: false });
}
