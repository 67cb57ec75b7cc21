import { resolveSftpConnection, type Environment } from '@bq-sftp-export/config';
import type { FileReady } from '@bq-sftp-export/contracts';
import type { ServiceIdentifier } from 'inversify';

import { sftpDestinationOf } from '../domain/destination-from-config.js';
import type { SftpDestination } from '../domain/sftp-destination.js';
import type { ExportConfigProvider } from './export-config-provider.js';

/** The SFTP destination a `file.ready` goes to, secrets resolved. */
export interface DestinationResolver {
  /** Throws a permanent `AppError` for a bad config, an unknown destination or missing secrets. */
  resolve(file: FileReady): Promise<SftpDestination>;
}

export const DestinationResolver: ServiceIdentifier<DestinationResolver> = Symbol('DestinationResolver');

/** Reads the export's config (`configName`) and resolves the named destination from the environment. */
export class ConfiguredDestinationResolver implements DestinationResolver {
  constructor(
    private readonly configs: ExportConfigProvider,
    private readonly environment: Environment,
  ) {}

  async resolve(file: FileReady): Promise<SftpDestination> {
    const config = await this.configs.get(file.configName);
    const connection = resolveSftpConnection(config, file.destination, this.environment);
    return sftpDestinationOf(connection, { remoteDirectory: file.remoteDirectory, runId: file.runId });
  }
}
