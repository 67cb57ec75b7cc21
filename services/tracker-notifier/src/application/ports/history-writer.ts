import type { ServiceIdentifier } from 'inversify';

import type { HistoryRow } from '../../domain/history-row.js';

/** Appends rows to the history table; never updates or deletes one. */
export interface HistoryWriter {
  /**
   * Appends rows to the table named by a config's `metadata_table`, creating the dataset, the
   * table and its views first if needed. Idempotent per `event_id`. Throws `AppError`
   * (`HISTORY_WRITE_FAILED`, retryable unless the rows themselves are invalid).
   */
  append(metadataTable: string, rows: readonly HistoryRow[]): Promise<void>;
}

export const HistoryWriter: ServiceIdentifier<HistoryWriter> = Symbol('HistoryWriter');
