import { afterEach, describe, expect, it } from '@jest/globals';

import { LogCapture } from '../logging/log-capture.js';
import { createLogger } from '../logging/create-logger.js';
import { FaultInjector, type FaultEffects } from './fault-injector.js';
import { parseFaultPlan } from './fault-plan.js';
import { armFaultInjection, faultPoint, installFaultInjector } from './fault-point.js';
import { FaultPoints } from './fault-points.js';

class RecordingEffects implements FaultEffects {
  readonly kills: number[] = [];
  readonly notes: string[] = [];
  readonly scheduled: Array<{ delayMs: number; run: () => void }> = [];
  kill(): void {
    this.kills.push(this.notes.length);
  }
  note(message: string): void {
    this.notes.push(message);
  }
  schedule(delayMs: number, run: () => void): void {
    this.scheduled.push({ delayMs, run });
  }
}

const injectorFor = (value: string, effects: FaultEffects) =>
  new FaultInjector(parseFaultPlan({ BQX_FAULT_INJECTION: value }), effects);

/** True when `promise` has not settled after the pending microtasks have run. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(marker)])) === marker;
}

describe('FaultInjector', () => {
  it('kills on the n-th pass of its point only, once, after noting it', async () => {
    const effects = new RecordingEffects();
    const injector = injectorFor('extractor.row-read:kill@3', effects);
    expect(injector.pass(FaultPoints.extractorRowRead)).toBeUndefined();
    expect(injector.pass(FaultPoints.extractorStaged)).toBeUndefined();
    expect(injector.pass(FaultPoints.extractorRowRead)).toBeUndefined();
    const third = injector.pass(FaultPoints.extractorRowRead);
    expect(third).toBeInstanceOf(Promise);
    expect(await isPending(third!)).toBe(true);
    expect(effects.kills).toEqual([1]);
    expect(effects.notes).toEqual(['fault injection: killing at extractor.row-read']);
    expect(injector.pass(FaultPoints.extractorRowRead)).toBeUndefined();
    expect(effects.kills).toHaveLength(1);
  });

  it('fires a percentage on the first pass at or past it, and not without progress', () => {
    const effects = new RecordingEffects();
    const injector = injectorFor('uploader.chunk-sent:kill@50%', effects);
    expect(injector.pass(FaultPoints.uploaderChunkSent)).toBeUndefined();
    expect(injector.pass(FaultPoints.uploaderChunkSent, { done: 0, total: 0 })).toBeUndefined();
    expect(injector.pass(FaultPoints.uploaderChunkSent, { done: 49, total: 100 })).toBeUndefined();
    expect(effects.kills).toEqual([]);
    expect(injector.pass(FaultPoints.uploaderChunkSent, { done: 64, total: 100 })).toBeInstanceOf(Promise);
    expect(effects.kills).toHaveLength(1);
  });

  it('hangs without killing: the returned promise never settles', async () => {
    const effects = new RecordingEffects();
    const hung = injectorFor('tracker.history-written:hang', effects).pass(FaultPoints.trackerHistoryWritten);
    expect(await isPending(hung!)).toBe(true);
    expect(effects.kills).toEqual([]);
    expect(effects.notes).toEqual(['fault injection: hanging at tracker.history-written']);
  });

  it('pauses for its length, then lets the work go on without killing', async () => {
    const effects = new RecordingEffects();
    const paused = injectorFor('extractor.lease-taken:pause+5000ms', effects).pass(
      FaultPoints.extractorLeaseTaken,
    );
    expect(await isPending(paused!)).toBe(true);
    expect(effects.scheduled.map((entry) => entry.delayMs)).toEqual([5000]);
    effects.scheduled[0]!.run();
    expect(await isPending(paused!)).toBe(false);
    expect(effects.kills).toEqual([]);
    expect(effects.notes).toEqual(['fault injection: pausing 5000 ms at extractor.lease-taken']);
  });

  it('a delayed kill lets the work go on and kills when the timer fires', () => {
    const effects = new RecordingEffects();
    const injector = injectorFor('uploader.connected:kill+75ms', effects);
    expect(injector.pass(FaultPoints.uploaderConnected)).toBeUndefined();
    expect(effects.kills).toEqual([]);
    expect(effects.scheduled.map((entry) => entry.delayMs)).toEqual([75]);
    effects.scheduled[0]!.run();
    expect(effects.kills).toHaveLength(1);
  });
});

describe('faultPoint', () => {
  afterEach(() => installFaultInjector(undefined));

  it('is a no-op until armed, then applies the plan of the environment', async () => {
    expect(faultPoint(FaultPoints.uploaderRenamed)).toBeUndefined();
    const effects = new RecordingEffects();
    const capture = new LogCapture();
    const logger = createLogger({ level: 'info', name: 'uploader', destination: capture });
    armFaultInjection(
      { BQX_FAULT_INJECTION: 'uploader.renamed:hang' },
      { serviceName: 'uploader', logger, effects },
    );
    expect(capture.entries().map((line) => line['message'])).toEqual([
      'fault injection armed: this process will be killed or hung on purpose',
    ]);
    const hung = faultPoint(FaultPoints.uploaderRenamed);
    expect(await isPending(hung!)).toBe(true);
    expect(effects.notes).toHaveLength(1);
  });

  it('arming without the variable disarms', () => {
    const effects = new RecordingEffects();
    const logger = createLogger({ level: 'info', name: 'uploader', destination: new LogCapture() });
    armFaultInjection(
      { BQX_FAULT_INJECTION: 'uploader.renamed:kill' },
      { serviceName: 'uploader', logger, effects },
    );
    armFaultInjection({}, { serviceName: 'uploader', logger, effects });
    expect(faultPoint(FaultPoints.uploaderRenamed)).toBeUndefined();
    expect(effects.kills).toEqual([]);
  });
});
