import type { BlobStore } from '@bq-sftp-export/cloud';
import { AppError } from '@bq-sftp-export/runtime';
import { z } from 'zod';

import type { ExportStateStore, VersionedExportState } from '../application/ports/export-state-store.js';
import type { ExportState } from '../domain/export-state.js';
import { exportStateRef } from './notification-objects.js';

const resultSchema = z.enum(['success', 'failure']);
const stateSchema = z.object({
  lastResult: resultSchema,
  runId: z.string(),
  eventId: z.string(),
  occurredAt: z.string(),
  previousResult: resultSchema.optional(),
});

/** Each export's last settled result as a small JSON object, updated by generation match. */
export class BlobExportStateStore implements ExportStateStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly bucket: string,
  ) {}

  async read(configName: string, exportName: string): Promise<VersionedExportState | undefined> {
    const stored = await this.blobs.readJson(exportStateRef(this.bucket, configName, exportName));
    if (stored === undefined) return undefined;
    const parsed = stateSchema.safeParse(stored.value);
    if (!parsed.success) {
      throw new AppError('export state document is malformed', {
        code: 'EXPORT_STATE_INVALID',
        retryable: false,
        details: { configName, exportName },
      });
    }
    const { previousResult, ...state } = parsed.data;
    return {
      state: { ...state, ...(previousResult === undefined ? {} : { previousResult }) },
      version: stored.generation,
    };
  }

  async write(
    configName: string,
    exportName: string,
    state: ExportState,
    expectedVersion: string | undefined,
  ): Promise<boolean> {
    const ref = exportStateRef(this.bucket, configName, exportName);
    const written = await this.blobs.writeJson(ref, state, expectedVersion ?? '0');
    return written.kind === 'written';
  }
}
