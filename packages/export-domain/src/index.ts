export { DomainError } from './domain-error.js';
export {
  formatInstant,
  instantFromMillis,
  MICROS_PER_SECOND,
  parseInstant,
  parseIsoInstant,
  splitMicros,
} from './instant.js';
export type { Micros } from './instant.js';
export { assertTimeZone, formatOffset, zonedFields } from './zoned-time.js';
export type { ZonedFields } from './zoned-time.js';
export { isEmptyWindow, nextCheckpointHigh, planWindow, windowContains } from './window.js';
export type { ExportMode, ExportWindow, WindowRequest, WindowSettings } from './window.js';
export { buildExportQuery } from './export-query.js';
export type { ExportQuery, ExportQuerySettings, TimestampParameter } from './export-query.js';
export { parseTableReference, quoteColumn, quoteTable } from './identifier.js';
export type { TableReference } from './identifier.js';
export {
  isTimeTravelLimit,
  LATE_ROWS_HORIZON_MICROS,
  LATE_ROWS_MAX_SNAPSHOT_AGE_MICROS,
  planLateRowsCount,
} from './late-rows.js';
export type { LateRowsPlan, LateRowsReason, LateRowsRequest } from './late-rows.js';
