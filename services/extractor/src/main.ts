import { createGoogleClients } from '@bq-sftp-export/cloud';
import { parseEnvironment } from '@bq-sftp-export/config';
import { decodeMessage, Topics, topologyOf, type ExportRequested } from '@bq-sftp-export/contracts';
import { runMessageService } from '@bq-sftp-export/runtime';

import { ExportRequestedHandler } from './application/export-requested.handler.js';
import { buildExtractorContainer, closeExtractorContainer } from './extractor-container.js';
import { parseExtractorSettings } from './extractor-settings.env.js';

/** The extractor: `export.requested` from `extractor.export-requests`, one request at a time. */
await runMessageService<ExportRequested>({
  serviceName: 'extractor',
  environment: process.env,
  consumes: topologyOf(Topics.exportRequests),
  decode: (data, attributes) => decodeMessage('export.requested', data, attributes),
  compose: ({ runtimeModule }) => {
    const env = parseEnvironment(process.env);
    const settings = parseExtractorSettings(process.env, env.stagingBucket);
    const clients = createGoogleClients({
      ...(env.googleCloudProject === undefined ? {} : { projectId: env.googleCloudProject }),
      ...(env.pubsubEmulatorHost === undefined ? {} : { pubsubEmulatorHost: env.pubsubEmulatorHost }),
      ...(env.storageEmulatorHost === undefined ? {} : { storageEmulatorHost: env.storageEmulatorHost }),
      ...(env.bigqueryEmulatorHost === undefined ? {} : { bigqueryEmulatorHost: env.bigqueryEmulatorHost }),
    });
    const container = buildExtractorContainer(runtimeModule, env, settings, clients);
    const handler = container.get(ExportRequestedHandler);
    return {
      pubsub: clients.pubsub,
      tracing: env.tracing,
      handler: (request, context) => handler.handle(request, context),
      close: async () => {
        try {
          await closeExtractorContainer(container);
        } finally {
          await clients.pubsub.close();
        }
      },
    };
  },
});
