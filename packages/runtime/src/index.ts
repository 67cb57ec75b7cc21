export { AppError, isAppError, isRetryable } from './errors/app-error.js';
export type { AppErrorOptions } from './errors/app-error.js';

export { Logger } from './logging/logger.js';
export type { LogFields, LogLevel } from './logging/logger.js';
export { createLogger } from './logging/create-logger.js';
export type { LogDestination, LoggerOptions } from './logging/create-logger.js';
export { LogCapture } from './logging/log-capture.js';
export { serializeError, toSafeLogValue } from './logging/safe-log-value.js';
export { REDACTED, isSecretKey, redactString } from './logging/secret-patterns.js';
export { parseCloudTraceContext, parseTraceparent, traceFields } from './logging/trace-fields.js';
export type { TraceContext } from './logging/trace-fields.js';

export { Clock, SystemClock } from './time/clock.js';
export { runtimeInstancesModule, runtimeModule } from './di/runtime.module.js';
export type { RuntimeModuleOptions } from './di/runtime.module.js';
export { DEFAULT_SHUTDOWN_BUDGET_MS, ShutdownController } from './lifecycle/shutdown-controller.js';
export type { ShutdownOptions, SignalSource, Stoppable } from './lifecycle/shutdown-controller.js';

export { Outcome } from './messaging/handler.js';
export type {
  HandlerOutcome,
  MessageAttributes,
  MessageContext,
  MessageDecoder,
  MessageHandler,
} from './messaging/handler.js';
export type {
  ProcessingOutcome,
  ProcessingResult,
  ReceivedMessage,
  Settlement,
} from './messaging/received-message.js';
export { DeadLetterAttribute, DeadLetterPublisher } from './messaging/dead-letter-publisher.js';
export type { DeadLetterMessage } from './messaging/dead-letter-publisher.js';
export { TopicDeadLetterPublisher } from './messaging/topic-dead-letter-publisher.js';
export { DEFAULT_LOGGED_ATTRIBUTES, MessageProcessor } from './messaging/message-processor.js';
export type { MessageProcessorOptions } from './messaging/message-processor.js';
export { InFlightWork } from './messaging/in-flight-work.js';
export type { DrainReport } from './messaging/in-flight-work.js';
export { pullSubscriberOptions } from './messaging/pull/pull-subscriber-options.js';
export type { PullSettings } from './messaging/pull/pull-subscriber-options.js';
export { PullTransport } from './messaging/pull/pull-transport.js';
export type {
  PulledMessage,
  PullSubscription,
  PullTransportOptions,
} from './messaging/pull/pull-transport.js';
export { parsePushEnvelope } from './messaging/push/push-envelope.js';
export type { EnvelopeResult } from './messaging/push/push-envelope.js';
export { PushServer } from './messaging/push/push-server.js';
export type { PushServerOptions } from './messaging/push/push-server.js';
export { allowUnauthenticatedPush } from './messaging/push/push-authenticator.js';
export type { PushAuthentication, PushAuthenticator } from './messaging/push/push-authenticator.js';
export { GOOGLE_ID_TOKEN_ISSUERS, OidcPushAuthenticator } from './messaging/push/oidc-push-authenticator.js';
export type { OidcPushAuthenticatorOptions } from './messaging/push/oidc-push-authenticator.js';

export { HEALTH_PATH } from './http/health.js';
export { HealthServer } from './http/health-server.js';
export type { HealthServerOptions } from './http/health-server.js';

export { runMessageService } from './service/run-message-service.js';
export { PUSH_PATH } from './service/start-transport.js';
export type { MessageServiceOptions, RunningService, ServiceProcess } from './service/run-message-service.js';
export type { ComposedService, ConsumedSubscription, ServiceContext } from './service/composed-service.js';
export { logLevelOf, parseServiceSettings, SERVICE_SETTINGS_INVALID } from './service/service-settings.js';
export type { ServiceEnvironment, ServiceSettings, TransportKind } from './service/service-settings.js';
export {
  CLOUD_RUN_BIND_HOST,
  LOCAL_BIND_HOST,
  readPushEndpointSettings,
} from './service/push-endpoint-settings.js';
export type { PushAuthSettings, PushEndpointSettings } from './service/push-endpoint-settings.js';

export { FAULT_POINTS, FaultPoints, isFaultPoint, PROGRESS_FAULT_POINTS } from './faults/fault-points.js';
export type { FaultPoint } from './faults/fault-points.js';
export { FAULT_INJECTION_INVALID, FAULT_INJECTION_VARIABLE, parseFaultPlan } from './faults/fault-plan.js';
export type { FaultAction, FaultRule, FaultTrigger } from './faults/fault-plan.js';
export { FaultInjector } from './faults/fault-injector.js';
export type { FaultEffects, FaultProgress } from './faults/fault-injector.js';
export {
  armFaultInjection,
  faultPoint,
  installFaultInjector,
  processFaultEffects,
} from './faults/fault-point.js';
export {
  extractTraceContext,
  injectTraceContext,
  TRACE_ATTRIBUTE_PREFIX,
} from './tracing/message-trace-context.js';
export { JsonLinesSpanExporter, toSpanRecord } from './tracing/json-lines-span-exporter.js';
export type { SpanRecord } from './tracing/json-lines-span-exporter.js';
export { startTracing } from './tracing/start-tracing.js';
export type { StartedTracing, TracingIdentity } from './tracing/start-tracing.js';
export { TRACING_OFF } from './tracing/tracing-settings.js';
export type { TraceExporterKind, TracingSettings } from './tracing/tracing-settings.js';
export { TRACER_NAME, withSpan } from './tracing/with-span.js';
