import { BlobStore, MessagePublisher } from '@bq-sftp-export/cloud';
import type { ConfigSource, Environment } from '@bq-sftp-export/config';
import { Topics, topologyOf } from '@bq-sftp-export/contracts';
import { Clock, Logger } from '@bq-sftp-export/runtime';
import { ContainerModule, type ServiceIdentifier } from 'inversify';

import type { SftpTuning } from './adapters/sftp/sftp-destination.js';
import { PgpFileTransfer } from './adapters/pgp/pgp-file-transfer.js';
import { SftpFileTransfer } from './adapters/sftp/sftp-file-transfer.adapter.js';
import { DeliverFileHandler, DeliverFileOptions } from './application/deliver-file.handler.js';
import { DeliveryLedger } from './application/delivery-ledger.js';
import { ConfiguredDestinationResolver, DestinationResolver } from './application/destination-resolver.js';
import { CachedExportConfigProvider, ExportConfigProvider } from './application/export-config-provider.js';
import { ExportEventPublisher } from './application/export-event-publisher.js';
import { FileTransfer } from './application/file-transfer.js';
import { ManifestWriter } from './application/manifest-writer.js';

/** The process environment, parsed once at start-up (`parseEnvironment`). */
export const UploaderEnvironment: ServiceIdentifier<Environment> = Symbol('UploaderEnvironment');
/** Where export configs are read from (`createConfigSource(environment.configSource, …)`). */
export const UploaderConfigSource: ServiceIdentifier<ConfigSource> = Symbol('UploaderConfigSource');

export interface UploaderModuleOptions {
  readonly environment: Environment;
  readonly configSource: ConfigSource;
  /** The staged objects and the delivery ledger (`GcsBlobStore`). */
  readonly blobStore: BlobStore;
  /** Where `export.events` go (`PubSubMessagePublisher`). */
  readonly publisher: MessagePublisher;
  readonly sftpTuning?: Partial<SftpTuning>;
  /** Delivery claim lifetime; default 60 s. */
  readonly claimTtlMs?: number;
  /** How long a loaded config is reused; default 60 s. */
  readonly configTtlMs?: number;
}

/**
 * The uploader's bindings: the `file.ready` handler and what it stands on. Needs `Logger` and
 * `Clock` from the runtime's module; the outer edges (blob store, publisher, config source,
 * environment) come in as instances, so tests rebind nothing but those.
 */
export function uploaderModule(options: UploaderModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(UploaderEnvironment).toConstantValue(options.environment);
    bind(UploaderConfigSource).toConstantValue(options.configSource);
    bind(BlobStore).toConstantValue(options.blobStore);
    bind(MessagePublisher).toConstantValue(options.publisher);
    bind(ExportConfigProvider)
      .toResolvedValue(
        (source: ConfigSource, clock: Clock) =>
          new CachedExportConfigProvider(source, clock, options.configTtlMs),
        [UploaderConfigSource, Clock],
      )
      .inSingletonScope();
    bind(DestinationResolver)
      .toResolvedValue(
        (configs: ExportConfigProvider, environment: Environment) =>
          new ConfiguredDestinationResolver(configs, environment),
        [ExportConfigProvider, UploaderEnvironment],
      )
      .inSingletonScope();
    bind(FileTransfer)
      // The PGP hook: destinations with `pgp` are encrypted on the way, before the atomic rename.
      .toResolvedValue(
        (logger: Logger) => new PgpFileTransfer(new SftpFileTransfer(logger, options.sftpTuning)),
        [Logger],
      )
      .inSingletonScope();
    bind(DeliveryLedger)
      .toResolvedValue(
        (blobs: BlobStore, clock: Clock, logger: Logger) =>
          new DeliveryLedger(blobs, clock, logger, {
            ...(options.claimTtlMs === undefined ? {} : { claimTtlMs: options.claimTtlMs }),
          }),
        [BlobStore, Clock, Logger],
      )
      .inSingletonScope();
    bind(DeliverFileOptions).toConstantValue({
      maxDeliveryAttempts: topologyOf(Topics.fileReady).maxDeliveryAttempts,
    });
    bind(ManifestWriter).toSelf().inSingletonScope();
    bind(ExportEventPublisher).toSelf().inSingletonScope();
    bind(DeliverFileHandler).toSelf().inSingletonScope();
  });
}
