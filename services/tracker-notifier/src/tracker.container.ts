import { decodeMessage } from '@bq-sftp-export/contracts';
import type { ExportEvent } from '@bq-sftp-export/contracts';
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
