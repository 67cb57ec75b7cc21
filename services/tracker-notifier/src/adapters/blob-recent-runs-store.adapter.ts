import type { BlobStore } from '@bq-sftp-export/cloud';
import { AppError } from '@bq-sftp-export/runtime';
import { z } from 'zod';

import type { RecentRunsStore, VersionedRecentRuns } from '../application/ports/recent-runs-store.js';
import type { RecentRun } from '../domain/run-alerts.js';
import { recentRunsRef } from './notification-objects.js';

const count = z.number().int().nonnegative();
const documentSchema = z.object({
  runs: z.array(
    z.object({
      eventId: z.string(),
      runId: z.string(),
      occurredAt: z.string(),
      rows: count.optional(),
      bytes: count.optional(),
      lastExportedValue: z.string().optional(),
    }),
  ),
});

/** Each export's recent successful runs as one small JSON object, updated by generation match. */
export class BlobRecentRunsStore implements RecentRunsStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly bucket: string,
  ) {}

  async read(configName: string, exportName: string): Promise<VersionedRecentRuns | undefined> {
    const stored = await this.blobs.readJson(recentRunsRef(this.bucket, configName, exportName));
    if (stored === undefined) return undefined;
    const parsed = documentSchema.safeParse(stored.value);
    if (!parsed.success) {
      throw new AppError('recent runs document is malformed', {
        code: 'RECENT_RUNS_INVALID',
        retryable: false,
        details: { configName, exportName },
      });
    }
    const runs = parsed.data.runs.map(({ rows, bytes, lastExportedValue, ...run }): RecentRun => ({
      ...run,
      ...(rows === undefined ? {} : { rows }),
      ...(bytes === undefined ? {} : { bytes }),
      ...(lastExportedValue === undefined ? {} : { lastExportedValue }),
    }));
    return { runs, version: stored.generation };
  }

  async write(
    configName: string,
    exportName: string,
    runs: readonly RecentRun[],
    expectedVersion: string | undefined,
  ): Promise<boolean> {
    const ref = recentRunsRef(this.bucket, configName, exportName);
    const written = await this.blobs.writeJson(ref, { runs }, expectedVersion ?? '0');
    return written.kind === 'written';
  }
}
