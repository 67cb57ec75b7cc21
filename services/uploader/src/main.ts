// The uploader's composition root: `file.ready` → partner SFTP server. Run as `node dist/main.js`.
import {
  BlobStoreConfigReader,
  createGoogleClients,
  GcsBlobStore,
  PubSubMessagePublisher,
} from '@bq-sftp-export/cloud';
import {
  checkConfigSecrets,
  createConfigSource,
  ENVIRONMENT_INVALID,
  parseEnvironment,
} from '@bq-sftp-export/config';
import { decodeMessage, Topics, topologyOf, type FileReady } from '@bq-sftp-export/contracts';
import { AppError, runMessageService, type Logger } from '@bq-sftp-export/runtime';
import { Container } from 'inversify';

import { checkPgpKeysAtStart } from './adapters/pgp/index.js';
import { sshNativeCryptoAvailable } from './adapters/sftp/native-crypto.js';
import { DeliverFileHandler } from './application/deliver-file.handler.js';
import { uploaderModule } from './uploader.module.js';

function reportNativeCrypto(logger: Logger): void {
  if (sshNativeCryptoAvailable()) {
    logger.info('ssh2 native crypto binding loaded');
  } else {
    logger.warn(
      'ssh2 native crypto binding is NOT available: SFTP transfers run 21-28 % slower. ' +
        'Install with build tools (python3, make, g++) and without --ignore-scripts.',
    );
  }
}

/** `DELIVERY_CLAIM_TTL_SECONDS` (default 60): how long a crashed uploader's claim on a file keeps others out. */
function claimTtlMs(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 3 || seconds > 3600) {
    throw new AppError('DELIVERY_CLAIM_TTL_SECONDS: expected whole seconds 3-3600', {
      code: ENVIRONMENT_INVALID,
      retryable: false,
    });
  }
  return seconds * 1000;
}

await runMessageService<FileReady>({
  serviceName: 'uploader',
  environment: process.env,
  consumes: topologyOf(Topics.fileReady),
  decode: (data, attributes) => decodeMessage('file.ready', data, attributes),
  compose: async ({ logger, runtimeModule }) => {
    reportNativeCrypto(logger);
    const environment = parseEnvironment(process.env);
    const claimTtl = claimTtlMs(process.env['DELIVERY_CLAIM_TTL_SECONDS']);
    const clients = createGoogleClients({
      ...(environment.googleCloudProject === undefined ? {} : { projectId: environment.googleCloudProject }),
      ...(environment.pubsubEmulatorHost === undefined
        ? {}
        : { pubsubEmulatorHost: environment.pubsubEmulatorHost }),
      ...(environment.storageEmulatorHost === undefined
        ? {}
        : { storageEmulatorHost: environment.storageEmulatorHost }),
    });
    const blobStore = new GcsBlobStore(clients.storage);
    const configSource = createConfigSource(environment.configSource, {
      blobReader: new BlobStoreConfigReader(blobStore),
    });
    // A destination's secret missing from the environment stops the service here, naming it.
    const secretsCheck = await checkConfigSecrets(configSource, environment, 'sftp');
    logger.info('config secrets checked', { ...secretsCheck });
    // So does a destination's OpenPGP key that is unreadable, expired or locked.
    logger.info('config OpenPGP keys checked', {
      ...(await checkPgpKeysAtStart(configSource, secretsCheck.checked, environment.secrets)),
    });
    const publisher = new PubSubMessagePublisher(clients.pubsub);
    const container = new Container();
    container.load(
      runtimeModule,
      uploaderModule({
        environment,
        configSource,
        blobStore,
        publisher,
        ...(claimTtl === undefined ? {} : { claimTtlMs: claimTtl }),
      }),
    );
    const handler = container.get(DeliverFileHandler);
    return {
      pubsub: clients.pubsub,
      tracing: environment.tracing,
      handler: handler.handle,
      close: async () => {
        await publisher.close();
        await clients.pubsub.close();
      },
    };
  },
});
