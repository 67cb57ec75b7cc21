// The fault suite's public API: each suite (kill-matrix/, infrastructure-faults/, bad-input/)
// exports what its long-form runner and other packages call.
export { KILL_POINTS } from './kill-matrix/kill-points.js';
export type { ExpectedRepeats, KillPoint, Random } from './kill-matrix/kill-points.js';
export { runKillTrial } from './kill-matrix/kill-trial.js';
export type { KillTrialResult, TrialOptions } from './kill-matrix/kill-trial.js';
export { runSigtermTrial } from './kill-matrix/sigterm-trial.js';
export type { SigtermTrialResult } from './kill-matrix/sigterm-trial.js';
export { startMatrixStack } from './kill-matrix/matrix-stack.js';
export type { MatrixStack, MatrixStackOptions } from './kill-matrix/matrix-stack.js';
export { SequencedSource } from './kill-matrix/source-table.js';
export { auditRun, cleanRun } from './kill-matrix/run-audit.js';
export type { AuditOptions, RunAudit } from './kill-matrix/run-audit.js';
export { runLongForm, seededRandom } from './kill-matrix/long-form.js';
export type { LongFormOptions } from './kill-matrix/long-form.js';
export { allClean, renderTable, summarise } from './kill-matrix/matrix-report.js';
export type { PointSummary } from './kill-matrix/matrix-report.js';
