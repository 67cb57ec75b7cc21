import { resolveSftpConnection, type Environment } from '@bq-sftp-export/config';
import type { FileReady } from '@bq-sftp-export/contracts';
import type { ServiceIdentifier } from 'inversify';

import { AppError } from '@bq-sftp-export/runtime';

import { isInsideDirectory, sftpDestinationOf } from '../domain/destination-from-config.js';
import type { SftpDestination } from '../domain/sftp-destination.js';
import type { ExportConfigProvider } from './export-config-provider.js';

/** The SFTP destination a `file.ready` goes to, secrets resolved. */
export interface DestinationResolver {
  /**
   * Throws a permanent `AppError` for a bad config, an unknown destination, missing secrets or a
   * directory outside the destination's path (`DESTINATION_MISMATCH`).
   */
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
    // A file.ready is only a message: it must not send a file anywhere else the account can write.
    if (!isInsideDirectory(file.remoteDirectory, connection.path)) {
      throw new AppError(
        `file.ready: remoteDirectory is outside the path of destination "${connection.name}"`,
        { code: 'DESTINATION_MISMATCH', retryable: false },
      );
    }
    return sftpDestinationOf(connection, { remoteDirectory: file.remoteDirectory, runId: file.runId });
  }
}
