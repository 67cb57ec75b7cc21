import type { BlobRef } from '@bq-sftp-export/cloud';

import type { NotificationKey } from '../application/ports/notification-ledger.js';

/** Where tracker-notifier keeps its records in the bucket: everything under `notifications/`. */
export const NOTIFICATIONS_PREFIX = 'notifications/';

/** Config, export and run names are validated safe path segments (contracts' name and id patterns). */
export function exportStateRef(bucket: string, configName: string, exportName: string): BlobRef {
  return { bucket, name: `${NOTIFICATIONS_PREFIX}${configName}/${exportName}/state.json` };
}

/** The export's recent successful runs, for the volume and watermark alerts. */
export function recentRunsRef(bucket: string, configName: string, exportName: string): BlobRef {
  return { bucket, name: `${NOTIFICATIONS_PREFIX}${configName}/${exportName}/recent-runs.json` };
}

export function notificationRecordRef(bucket: string, key: NotificationKey): BlobRef {
  return {
    bucket,
    name: `${NOTIFICATIONS_PREFIX}${key.configName}/${key.exportName}/runs/${key.runId}/${key.result}.${key.channel}.json`,
  };
}
