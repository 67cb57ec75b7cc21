import { randomUUID } from 'node:crypto';

import type { PubSub } from '@google-cloud/pubsub';

import { encodeMessage, Topics } from '@bq-sftp-export/contracts';
import type { ExportRequestedInput } from '@bq-sftp-export/contracts';

import { RunProgress } from '../progress/run-progress.js';
import type { EventTap } from './event-tap.js';
import type { ServiceProcess } from './service-process.js';

export interface FollowOptions {
  readonly exportNames: readonly string[];
  readonly timeoutMs: number;
  /** Each progress line, as it happens. */
  readonly onLine?: (line: string) => void;
  /** Running services: one that exits ends the wait with an error naming its log. */
  readonly services?: () => readonly ServiceProcess[];
}

export interface FollowResult {
  readonly progress: RunProgress;
  /** False when the timeout came first. */
  readonly settled: boolean;
}

/**
 * Publishes `export.requested` (with a fresh `requestId` unless one is given) and follows the
 * runs it starts on the tap until every export has settled or `timeoutMs` has passed.
 */
export async function requestAndFollow(
  pubsub: PubSub,
  tap: EventTap,
  request: ExportRequestedInput,
  options: FollowOptions,
): Promise<FollowResult> {
  const requestId = request.requestId ?? `demo-${randomUUID()}`;
  const progress = new RunProgress(request.config, request.exports ?? options.exportNames, requestId);
  let seen = tap.events().length;
  const message = encodeMessage('export.requested', { ...request, requestId });
  await pubsub.topic(Topics.exportRequests).publishMessage(message);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const events = tap.events();
    for (; seen < events.length; seen++) {
      const line = progress.apply(events[seen]!);
      if (line !== undefined) options.onLine?.(line);
    }
    if (progress.settled()) return { progress, settled: true };
    const dead = options.services?.().find((service) => service.exitedEarly());
    if (dead !== undefined) {
      throw new Error(`${dead.name} stopped unexpectedly; its log: ${dead.logFile}`);
    }
    if (Date.now() > deadline) return { progress, settled: false };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
