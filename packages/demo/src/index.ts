export { demoConfig } from './config/demo-config.js';
export type { DemoConfigOptions } from './config/demo-config.js';
export { runDemo } from './demo/run-demo.js';
export type { DemoOptions } from './demo/run-demo.js';
export { RunProgress } from './progress/run-progress.js';
export type { ExportProgress } from './progress/run-progress.js';
export { DEMO_CONFIG_NAME, startDemoStack } from './stack/demo-stack.js';
export type { DemoStack, DemoStackOptions, SftpServerOverride } from './stack/demo-stack.js';
export { openEventTap } from './stack/event-tap.js';
export type { EventTap } from './stack/event-tap.js';
export { requestAndFollow } from './stack/export-run.js';
export type { FollowOptions, FollowResult } from './stack/export-run.js';
export { SERVICE_HEAP_LIMITS_MB, SERVICE_NAMES, startService } from './stack/service-process.js';
export type {
  ServiceExit,
  ServiceName,
  ServiceProcess,
  StartServiceOptions,
} from './stack/service-process.js';
export { queryHistory } from './summary/history.js';
export type { HistoryRow } from './summary/history.js';
export { renderSummary } from './summary/render-summary.js';
export type { SummaryInput } from './summary/render-summary.js';
