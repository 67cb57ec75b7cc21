import { randomUUID } from 'node:crypto';

import { encodeMessage, Topics } from '@bq-sftp-export/contracts';

import type { MatrixStack } from './matrix-stack.js';
import { MATRIX_EXPORT } from './source-table.js';

/** Publishes `export.requested` for the matrix's export; returns its request id. */
export async function requestExport(matrix: MatrixStack, prefix: string): Promise<string> {
  const requestId = `${prefix}-${randomUUID()}`;
  const message = encodeMessage('export.requested', {
    config: matrix.demo.config.name,
    exports: [MATRIX_EXPORT],
    requestId,
  });
  await matrix.demo.clients.pubsub.topic(Topics.exportRequests).publishMessage(message);
  return requestId;
}
