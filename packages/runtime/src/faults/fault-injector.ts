import type { FaultPoint } from './fault-points.js';
import type { FaultRule } from './fault-plan.js';

/** How far a streaming step has come, for `@<p>%` triggers. */
export interface FaultProgress {
  readonly done: number;
  readonly total: number;
}

/** What a fired rule does to the process; tests pass recording fakes. */
export interface FaultEffects {
  /** Ends the process at once, as `kill -9` would. */
  kill(): void;
  /** Says what is about to happen, synchronously (a killed process flushes nothing afterwards). */
  note(message: string, fields: Readonly<Record<string, unknown>>): void;
  schedule(delayMs: number, run: () => void): void;
}

interface Armed {
  readonly rule: FaultRule;
  hits: number;
  fired: boolean;
}

/** Never settles: the work stops where it is. */
const stopped = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * Applies the rules of a fault plan at the points the services pass. Each rule fires once: on
 * the n-th pass of its point, or on the first pass whose progress reaches its percentage.
 */
export class FaultInjector {
  readonly #armed: ReadonlyMap<FaultPoint, Armed>;
  readonly #effects: FaultEffects;

  constructor(rules: readonly FaultRule[], effects: FaultEffects) {
    this.#armed = new Map(rules.map((rule) => [rule.point, { rule, hits: 0, fired: false }]));
    this.#effects = effects;
  }

  /**
   * Passes `point`. Undefined when nothing fires here (or the rule fired with a delayed kill);
   * a promise that never settles when the work must stop here (`hang`, or a `kill` whose signal
   * is on its way); one that settles after the pause for `pause`.
   */
  pass(point: FaultPoint, progress?: FaultProgress): Promise<void> | undefined {
    const armed = this.#armed.get(point);
    if (armed === undefined || armed.fired) return undefined;
    armed.hits += 1;
    if (!triggered(armed, progress)) return undefined;
    armed.fired = true;
    const { rule } = armed;
    const fields = {
      faultPoint: point,
      action: rule.action,
      hit: armed.hits,
      ...(progress === undefined ? {} : { progress: `${progress.done}/${progress.total}` }),
    };
    if (rule.action === 'hang') {
      this.#effects.note(`fault injection: hanging at ${point}`, fields);
      return stopped();
    }
    if (rule.action === 'pause') {
      this.#effects.note(`fault injection: pausing ${rule.delayMs} ms at ${point}`, fields);
      return new Promise<void>((resolve) => {
        this.#effects.schedule(rule.delayMs, resolve);
      });
    }
    if (rule.delayMs > 0) {
      this.#effects.note(`fault injection: killing in ${rule.delayMs} ms after ${point}`, fields);
      this.#effects.schedule(rule.delayMs, () => {
        this.#effects.note(`fault injection: killing ${rule.delayMs} ms after ${point}`, fields);
        this.#effects.kill();
      });
      return undefined;
    }
    this.#effects.note(`fault injection: killing at ${point}`, fields);
    this.#effects.kill();
    return stopped();
  }
}

function triggered(armed: Armed, progress: FaultProgress | undefined): boolean {
  const { trigger } = armed.rule;
  if (trigger.kind === 'hit') return armed.hits === trigger.hit;
  if (progress === undefined || progress.total <= 0) return false;
  return progress.done * 100 >= trigger.percent * progress.total;
}
