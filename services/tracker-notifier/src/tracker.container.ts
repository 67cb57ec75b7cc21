import { AttributeNames, decodeMessage } from '@bq-sftp-export/contracts';
import type { ExportEvent, FreshnessTick } from '@bq-sftp-export/contracts';
import { BlobStore } from '@bq-sftp-export/cloud';
import type { MessageAttributes } from '@bq-sftp-export/runtime';
import { Container, ContainerModule } from 'inversify';

import { trackerModule } from './tracker.module.js';
import type { TrackerModuleOptions } from './tracker.module.js';

export interface TrackerContainerOptions extends TrackerModuleOptions {
  /** Binds `Logger`, `Clock` and `ShutdownController`: the runtime's `runtimeModule(...)`. */
  readonly runtime: ContainerModule;
  readonly blobStore: BlobStore;
}

/** The tracker-notifier container: runtime (logger, clock, shutdown), blob store, tracker. */
export function createTrackerContainer(options: TrackerContainerOptions): Container {
  const container = new Container();
  container.load(
    options.runtime,
    new ContainerModule(({ bind }) => {
      bind(BlobStore).toConstantValue(options.blobStore);
    }),
    trackerModule(options),
  );
  return container;
}

/** Decodes and validates an `export.events` message (throws `MESSAGE_INVALID`: dead-lettered). */
export function decodeExportEvent(data: Buffer, attributes: MessageAttributes): ExportEvent {
  return decodeMessage('export.events', data, attributes);
}

/** What tracker-notifier reads from `export-events`: an export event, or a scheduler's freshness tick. */
export type TrackerMessage = ExportEvent | FreshnessTick;

function saysTick(data: Buffer): boolean {
  try {
    const payload = JSON.parse(data.toString('utf8')) as unknown;
    return (
      typeof payload === 'object' &&
      payload !== null &&
      (payload as { type?: unknown }).type === 'freshness.tick'
    );
  } catch {
    return false;
  }
}

/**
 * Decodes an `export-events` message: a `freshness.tick` (by its `eventType` attribute or its
 * `type`), else an export event. Throws `MESSAGE_INVALID` (dead-lettered) for anything invalid.
 */
export function decodeTrackerMessage(data: Buffer, attributes: MessageAttributes): TrackerMessage {
  const tick = attributes[AttributeNames.eventType] === 'freshness.tick' || saysTick(data);
  return tick ? decodeMessage('freshness.tick', data, attributes) : decodeExportEvent(data, attributes);
}
