export { ExportEventHandler } from './application/export-event.handler.js';
export { RunOutcomeDecider } from './application/run-outcome-decider.js';
export type { PendingOutcome } from './application/run-outcome-decider.js';
export { ExportConfigs } from './application/ports/export-configs.js';
export { ExportStateStore } from './application/ports/export-state-store.js';
export type { VersionedExportState } from './application/ports/export-state-store.js';
export { HistoryWriter } from './application/ports/history-writer.js';
export { NotificationLedger } from './application/ports/notification-ledger.js';
export type {
  NotificationChannel,
  NotificationKey,
  NotificationRecord,
} from './application/ports/notification-ledger.js';
export { EmailSender, SlackSender } from './application/ports/notifiers.js';
export type { EmailTarget } from './application/ports/notifiers.js';
export { HISTORY_COLUMNS } from './domain/history-columns.js';
export type { HistoryColumn } from './domain/history-columns.js';
export { historyRowOf } from './domain/history-row.js';
export type { ExportStatus, HistoryRow } from './domain/history-row.js';
export { historyViews } from './domain/history-views.js';
export type { HistoryView } from './domain/history-views.js';
export { trackerModule } from './tracker.module.js';
export type { TrackerModuleOptions } from './tracker.module.js';
export { createTrackerContainer, decodeExportEvent, decodeTrackerMessage } from './tracker.container.js';
export type { TrackerMessage } from './tracker.container.js';
export { FreshnessChecker } from './application/freshness-checker.js';
export type { TrackerContainerOptions } from './tracker.container.js';
export { trackerService } from './tracker.service.js';
