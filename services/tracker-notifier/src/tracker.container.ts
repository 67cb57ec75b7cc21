import { decodeMessage } from '@bq-sftp-export/contracts';
import type { ExportEvent } from '@bq-sftp-export/contracts';
import { BlobStore } from '@bq-sftp-export/cloud';
import type { MessageDecoder, MessageHandler } from '@bq-sftp-export/runtime';
import { Container, ContainerModule } from 'inversify';

import type { ExportEventHandler } from './application/export-event.handler.js';
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

/** What the message runtime needs for `export.events`: the decoder and the handler. */
export interface ExportEventsConsumer {
  readonly decode: MessageDecoder<ExportEvent>;
  readonly handler: MessageHandler<ExportEvent>;
}

export function exportEventsConsumer(handler: ExportEventHandler): ExportEventsConsumer {
  return {
    decode: (data, attributes) => decodeMessage('export.events', data, attributes),
    handler: (event, context) => handler.handle(event, context),
  };
}
