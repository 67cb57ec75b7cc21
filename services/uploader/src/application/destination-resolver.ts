import { resolveSftpConnection, type Environment } from '@bq-sftp-export/config';
import type { FileReady } from '@bq-sftp-export/contracts';
import type { ServiceIdentifier } from 'inversify';

import { AppError } from '@bq-sftp-export/runtime';

import { isInsideDirectory, sftpDestinationOf } from '../domain/destination-from-config.js';
import type { SftpDestination } from '../domain/sftp-destination.js';
import { stagedObjectProblem } from '../domain/staged-object-scope.js';
import type { ExportConfigProvider } from './export-config-provider.js';

/** The SFTP destination a `file.ready` goes to, secrets resolved. */
export interface DestinationResolver {
  /**
   * Throws a permanent `AppError` for a bad config, an unknown destination, missing secrets or a
   * directory outside the destination's path (`DESTINATION_MISMATCH`).
   */
  resolve(file: FileReady): Promise<SftpDestination>;
  /**
   * Throws a permanent `STAGED_OBJECT_OUTSIDE_STAGING` unless `file.gcs.uri` is in the staging
   * bucket (the config's `staging.bucket`, else `STAGING_BUCKET`) under the staging prefix of
   * the event's config and export; `STAGING_BUCKET_MISSING` when neither names a bucket.
   */
  checkStagedObject(file: FileReady): Promise<void>;
}

export const STAGED_OBJECT_OUTSIDE_STAGING = 'STAGED_OBJECT_OUTSIDE_STAGING';

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

  async checkStagedObject(file: FileReady): Promise<void> {
    const config = await this.configs.get(file.configName);
    const bucket = config.staging.bucket ?? this.environment.stagingBucket;
    if (bucket === undefined) {
      throw new AppError(`config ${config.name} names no staging bucket and STAGING_BUCKET is not set`, {
        code: 'STAGING_BUCKET_MISSING',
        retryable: false,
      });
    }
    const problem = stagedObjectProblem(file, { bucket, prefix: config.staging.prefix });
    if (problem !== undefined) {
      throw new AppError(`file.ready: ${problem}`, { code: STAGED_OBJECT_OUTSIDE_STAGING, retryable: false });
    }
  }
}
