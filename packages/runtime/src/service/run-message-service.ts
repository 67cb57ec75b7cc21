import { runtimeInstancesModule } from '../di/runtime.module.js';
import { ShutdownController } from '../lifecycle/shutdown-controller.js';
import type { SignalSource } from '../lifecycle/shutdown-controller.js';
import { armFaultInjection } from '../faults/fault-point.js';
import { createLogger } from '../logging/create-logger.js';
import type { LogDestination } from '../logging/create-logger.js';
import { serializeError } from '../logging/safe-log-value.js';
import type { MessageDecoder } from '../messaging/handler.js';
import { MessageProcessor } from '../messaging/message-processor.js';
import type { PullSettings } from '../messaging/pull/pull-subscriber-options.js';
import { TopicDeadLetterPublisher } from '../messaging/topic-dead-letter-publisher.js';
import { startTracing } from '../tracing/start-tracing.js';
import type { StartedTracing } from '../tracing/start-tracing.js';
import type { ComposedService, ConsumedSubscription, ServiceContext } from './composed-service.js';
import { logLevelOf, parseServiceSettings } from './service-settings.js';
import { startPull, startPush } from './start-transport.js';
import type { StartedTransport } from './start-transport.js';
import type { ServiceEnvironment, ServiceSettings } from './service-settings.js';

/** The part of `process` the bootstrap uses; tests pass their own. */
export interface ServiceProcess extends SignalSource {
  exit(code: number): void;
}

export interface MessageServiceOptions<T> {
  /** Written as `serviceName` on every log line. */
  readonly serviceName: string;
  /** Usually `process.env`; read once here (TRANSPORT, SUBSCRIPTION, PORT, BIND_HOST, PUSH_*, LOG_LEVEL, SHUTDOWN_BUDGET_MS). */
  readonly environment: ServiceEnvironment;
  /** The consumed subscription and its dead-letter topic, e.g. `topologyOf(Topics.fileReady)`. */
  readonly consumes: ConsumedSubscription;
  readonly decode: MessageDecoder<T>;
  /** Builds the service's container (its one composition root) and returns the handler. May be async. */
  compose(context: ServiceContext): Promise<ComposedService<T>> | ComposedService<T>;
  /** Pull flow control and leases; default one message at a time. */
  readonly pull?: PullSettings;
  /** Attribute keys safe to log; see `MessageProcessorOptions.loggedAttributes`. */
  readonly loggedAttributes?: readonly string[];
  /** Default `process`. */
  readonly process?: ServiceProcess;
  /** Default stdout. */
  readonly logDestination?: LogDestination;
  /** Where push token signing keys are fetched (`{kid: pem}`); default Google's. A seam for tests. */
  readonly pushCertificatesUrl?: string;
}

/** A started service (for tests and tools; `main.ts` needs nothing from it). */
export interface RunningService {
  readonly settings: ServiceSettings;
  /** The bound HTTP port (push endpoint or health). */
  readonly port: number;
  /** Stops as on SIGTERM (without exiting). */
  stop(reason?: string): Promise<void>;
}

/**
 * Starts a message service: reads its settings from the environment, creates the logger, lets
 * the composition root build the container and handler, wires the dead-letter topic, starts the
 * pull worker (with a health endpoint) or the push endpoint at `/pubsub/push`, and stops on
 * SIGTERM/SIGINT within the budget, then exits 0. Start-up failures (bad settings, a failing
 * composition root, a missing subscription, `BQX_FAULT_INJECTION` on Cloud Run) are logged as one CRITICAL line and exit 1.
 * Resolves with the running service, or `undefined` when start-up failed.
 */
export async function runMessageService<T>(
  options: MessageServiceOptions<T>,
): Promise<RunningService | undefined> {
  const host = options.process ?? process;
  const project = projectOf(options.environment);
  const logger = createLogger({
    level: logLevelOf(options.environment),
    name: options.serviceName,
    ...(project === undefined ? {} : { traceProjectId: project }),
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });
  const fail = (stage: string, error: unknown): undefined => {
    logger.fatal(`start-up failed: ${error instanceof Error ? error.message : String(error)}`, {
      stage,
      err: serializeError(error),
    });
    host.exit(1);
    return undefined;
  };

  let settings: ServiceSettings;
  try {
    settings = parseServiceSettings(options.environment, { subscription: options.consumes.subscription });
    armFaultInjection(options.environment, { serviceName: options.serviceName, logger });
  } catch (error) {
    return fail('settings', error);
  }
  const shutdown = new ShutdownController({ logger, budgetMs: settings.shutdownBudgetMs });
  logger.info('service starting', {
    transport: settings.transport,
    subscription: settings.subscription,
    deadLetterTopic: options.consumes.deadLetterTopic,
    port: settings.port,
    bindHost: settings.bindHost,
    shutdownBudgetMs: settings.shutdownBudgetMs,
    node: process.version,
  });

  let composed: ComposedService<T>;
  try {
    composed = await options.compose({
      logger,
      settings,
      shutdown,
      runtimeModule: runtimeInstancesModule(logger, shutdown),
    });
  } catch (error) {
    return fail('compose', error);
  }
  let tracing: StartedTracing | undefined;
  try {
    tracing =
      composed.tracing === undefined
        ? undefined
        : startTracing(composed.tracing, {
            serviceName: options.serviceName,
            ...(project === undefined ? {} : { projectId: project }),
          });
  } catch (error) {
    await composed.close?.();
    return fail('tracing', error);
  }

  const processor = new MessageProcessor<T>({
    subscription: settings.subscription,
    decode: options.decode,
    handler: composed.handler,
    deadLetters: new TopicDeadLetterPublisher(composed.pubsub.topic(options.consumes.deadLetterTopic)),
    logger,
    ...(options.loggedAttributes === undefined ? {} : { loggedAttributes: options.loggedAttributes }),
  });

  const closeClients = async (): Promise<void> => {
    try {
      await composed.close?.();
    } catch (error) {
      logger.warn('closing clients failed', { err: serializeError(error) });
    }
    try {
      await tracing?.shutdown();
    } catch (error) {
      logger.warn('flushing traces failed', { err: serializeError(error) });
    }
  };
  let started: StartedTransport;
  try {
    const parts = {
      settings,
      composed,
      processor,
      shutdown,
      closeClients,
      logger,
      ...(options.pushCertificatesUrl === undefined
        ? {}
        : { pushCertificatesUrl: options.pushCertificatesUrl }),
    };
    started =
      settings.transport === 'pull'
        ? await startPull(parts, options.pull, (error) => {
            logger.fatal(`subscription ${settings.subscription} is unusable; stopping`, {
              err: serializeError(error),
            });
            void shutdown.shutdown('subscription unusable').then(() => host.exit(1));
          })
        : await startPush(parts);
  } catch (error) {
    await shutdown.shutdown('start-up failed');
    await closeClients();
    return fail('transport', error);
  }

  shutdown.listen(host, () => host.exit(0));
  const { port } = started;
  logger.info('service started', {
    transport: settings.transport,
    subscription: settings.subscription,
    port,
  });
  return {
    settings,
    port,
    stop: async (reason = 'stop') => {
      await shutdown.shutdown(reason);
      await started.release();
    },
  };
}

/** The project of trace fields and Cloud Trace: `GOOGLE_CLOUD_PROJECT` (set by the deploy and the local cloud). */
function projectOf(environment: ServiceEnvironment): string | undefined {
  const project = environment['GOOGLE_CLOUD_PROJECT'];
  return project === undefined || project === '' ? undefined : project;
}
