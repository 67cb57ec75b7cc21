import type { ServiceIdentifier } from 'inversify';

import type { RecentRun } from '../../domain/run-alerts.js';

export interface VersionedRecentRuns {
  /** Oldest first. */
  readonly runs: readonly RecentRun[];
  /** Opaque version for compare-and-swap. */
  readonly version: string;
}

/** Each export's last successful runs (for the volume and watermark alerts), by compare-and-swap. */
export interface RecentRunsStore {
  read(configName: string, exportName: string): Promise<VersionedRecentRuns | undefined>;
  /** Writes only if the stored version still is `expectedVersion`; false on a conflict. */
  write(
    configName: string,
    exportName: string,
    runs: readonly RecentRun[],
    expectedVersion: string | undefined,
  ): Promise<boolean>;
}

export const RecentRunsStore: ServiceIdentifier<RecentRunsStore> = Symbol('RecentRunsStore');
