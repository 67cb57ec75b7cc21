import { createHash } from 'node:crypto';

/**
 * The run id of one export of one request: `<publish time, UTC, to the second>-<12 hex>` over
 * config, export and the request's own id (`requestId`, else the Pub/Sub message id, which a
 * redelivery keeps). A redelivered request therefore continues the same run.
 */
export function runIdFor(parts: {
  readonly configName: string;
  readonly exportName: string;
  readonly requestKey: string;
  readonly requestedAt: Date;
}): string {
  const stamp = parts.requestedAt.toISOString().slice(0, 19).replace(/[-:]/g, '');
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.configName, parts.exportName, parts.requestKey]))
    .digest('hex')
    .slice(0, 12);
  return `${stamp}Z-${digest}`;
}
