import type { BlobStore } from '@bq-sftp-export/cloud';
import { z } from 'zod';

import type {
  NotificationKey,
  NotificationLedger,
  NotificationRecord,
} from '../application/ports/notification-ledger.js';
import { notificationRecordRef } from './notification-objects.js';

const recordSchema = z.object({
  status: z.enum(['sent', 'abandoned']),
  outcome: z.enum(['success', 'failure', 'recovery', 'alert']),
  eventId: z.string(),
  at: z.string(),
});

/**
 * The notification ledger as one small JSON object per run result and channel, written
 * create-only (`ifGenerationMatch=0`): the first record wins and is never overwritten.
 */
export class BlobNotificationLedger implements NotificationLedger {
  constructor(
    private readonly blobs: BlobStore,
    private readonly bucket: string,
  ) {}

  async find(key: NotificationKey): Promise<NotificationRecord | undefined> {
    const stored = await this.blobs.readJson(notificationRecordRef(this.bucket, key));
    if (stored === undefined) return undefined;
    const parsed = recordSchema.safeParse(stored.value);
    // An unreadable record still says the notification was handled: never send twice.
    return parsed.success
      ? parsed.data
      : { status: 'sent', outcome: 'failure', eventId: '', at: new Date(0).toISOString() };
  }

  async record(key: NotificationKey, record: NotificationRecord): Promise<void> {
    await this.blobs.writeJson(notificationRecordRef(this.bucket, key), record, '0');
  }
}
