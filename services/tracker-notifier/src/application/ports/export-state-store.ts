import type { ServiceIdentifier } from 'inversify';

import type { ExportState } from '../../domain/export-state.js';

export interface VersionedExportState {
  readonly state: ExportState;
  /** Opaque version for compare-and-swap. */
  readonly version: string;
}

/** The last settled result per export, updated by compare-and-swap. */
export interface ExportStateStore {
  read(configName: string, exportName: string): Promise<VersionedExportState | undefined>;
  /**
   * Writes only if the stored version still is `expectedVersion` (`undefined`: only if there is
   * none yet). Returns false on a conflict.
   */
  write(
    configName: string,
    exportName: string,
    state: ExportState,
    expectedVersion: string | undefined,
  ): Promise<boolean>;
}

export const ExportStateStore: ServiceIdentifier<ExportStateStore> = Symbol('ExportStateStore');
