export { startLocalPubSub } from './local-pubsub.js';
export type { LocalPubSub, LocalPubSubOptions } from './local-pubsub.js';
export type { PublishFaultOptions } from './state/publish-faults.js';
export { clientOptions } from './client-options.js';
export type { LocalPubSubClientOptions } from './client-options.js';
export type { InspectedMessage, Inspection, OutstandingMessage } from './inspection.js';
export { systemClock } from './clock/clock.js';
export type { Clock, TimerHandle } from './clock/clock.js';
export { ManualClock } from './clock/manual-clock.js';
