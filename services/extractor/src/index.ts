export { DomainError } from './domain/domain-error.js';
export { formatInstant, instantFromMillis, parseInstant } from './domain/instant.js';
export type { Micros } from './domain/instant.js';
export { isEmptyWindow, nextCheckpointHigh, planWindow, windowContains } from './domain/window.js';
export type { ExportMode, ExportWindow, WindowRequest, WindowSettings } from './domain/window.js';
