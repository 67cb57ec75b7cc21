import type { PubSub } from '@google-cloud/pubsub';
import type { ContainerModule } from 'inversify';

import { runtimeInstancesModule } from '../di/runtime.module.js';
import { HealthServer } from '../http/health-server.js';
import { ShutdownController } from '../lifecycle/shutdown-controller.js';
import type { SignalSource, Stoppable } from '../lifecycle/shutdown-controller.js';
import { createLogger } from '../logging/create-logger.js';
import type { LogDestination } from '../logging/create-logger.js';
import type { Logger } from '../logging/logger.js';
import { serializeError } from '../logging/safe-log-value.js';
import type { MessageDecoder, MessageHandler } from '../messaging/handler.js';
import { MessageProcessor } from '../messaging/message-processor.js';
import { PullTransport } from '../messaging/pull/pull-transport.js';
import type { PullSettings } from '../messaging/pull/pull-subscriber-options.js';
import { PushServer } from '../messaging/push/push-server.js';
import type { PushAuthenticator } from '../messaging/push/push-server.js';
import { TopicDeadLetterPublisher } from '../messaging/topic-dead-letter-publisher.js';
import { logLevelOf, parseServiceSettings } from './service-settings.js';
import type { ServiceEnvironment, ServiceSettings } from './service-settings.js';

/** Where Terraform points push subscriptions: `<service-url>/pubsub/push`. */
export const PUSH_PATH = '/pubsub/push';

/** The subscription a service consumes; a contracts `TopologyEntry` (`topologyOf(...)`) fits. */
export interface ConsumedSubscription {
  readonly subscription: string;
  readonly deadLetterTopic: string;
}

/** What the bootstrap hands the service's composition root. */
export interface ServiceContext {
  readonly logger: Logger;
  readonly settings: ServiceSettings;
  readonly shutdown: ShutdownController;
  /** Binds `Logger`, `Clock` and `ShutdownController` (these instances) in the service's container. */
  readonly runtimeModule: ContainerModule;
}

/** What the composition root gives back: the clients the transport needs and the handler. */
export interface ComposedService<T> {
  /** The Pub/Sub client: the pull subscription and the dead-letter topic are opened on it. */
  readonly pubsub: PubSub;
  readonly handler: MessageHandler<T>;
  /** Push only: checks the OIDC token of push requests (Cloud Run already does when auth is required). */
  readonly pushAuthenticator?: PushAuthenticator;
  /** Push only: adds trace fields of the request to the delivery's log lines. */
  readonly projectId?: string;
  /** Called after the transport has stopped, to flush publishers and close clients. */
  close?(): Promise<void>;
}

/** The part of `process` the bootstrap uses; tests pass their own. */
export interface ServiceProcess extends SignalSource {
  exit(code: number): void;
}

export interface MessageServiceOptions<T> {
  /** Written as `serviceName` on every log line. */
  readonly serviceName: string;
  /** Usually `process.env`; read once here (TRANSPORT, SUBSCRIPTION, PORT, LOG_LEVEL, SHUTDOWN_BUDGET_MS). */
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
}

/** A started service (for tests and tools; `main.ts` needs nothing from it). */
export interface RunningService {
  readonly settings: ServiceSettings;
  /** The bound HTTP port (push endpoint or health). */
  readonly port: number;
  /** Stops as on SIGTERM (without exiting). */
  stop(reason?: string): Promise<void>;
}

const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;

/**
 * Starts a message service: reads its settings from the environment, creates the logger, lets
 * the composition root build the container and handler, wires the dead-letter topic, starts the
 * pull worker (with a health endpoint) or the push endpoint at `/pubsub/push`, and stops on
 * SIGTERM/SIGINT within the budget, then exits 0. Start-up failures (bad settings, a failing
 * composition root, a missing subscription) are logged as one CRITICAL line and exit 1.
 * Resolves with the running service, or `undefined` when start-up failed.
 */
export async function runMessageService<T>(
  options: MessageServiceOptions<T>,
): Promise<RunningService | undefined> {
  const host = options.process ?? process;
  const logger = createLogger({
    level: logLevelOf(options.environment),
    name: options.serviceName,
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
  } catch (error) {
    return fail('settings', error);
  }
  const shutdown = new ShutdownController({ logger, budgetMs: settings.shutdownBudgetMs });
  logger.info('service starting', {
    transport: settings.transport,
    subscription: settings.subscription,
    deadLetterTopic: options.consumes.deadLetterTopic,
    port: settings.port,
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
  };
  let started: StartedTransport;
  try {
    started =
      settings.transport === 'pull'
        ? await startPull(
            settings,
            composed,
            processor,
            shutdown,
            closeClients,
            logger,
            options.pull,
            (error) => {
              logger.fatal(`subscription ${settings.subscription} is unusable; stopping`, {
                err: serializeError(error),
              });
              void shutdown.shutdown('subscription unusable').then(() => host.exit(1));
            },
          )
        : await startPush(settings, composed, processor, shutdown, closeClients, logger);
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

interface StartedTransport {
  readonly port: number;
  /** Frees what outlives the shutdown (the pull worker's health endpoint, which stays up until exit). */
  release(): Promise<void>;
}

async function startPull<T>(
  settings: ServiceSettings,
  composed: ComposedService<T>,
  processor: MessageProcessor<T>,
  shutdown: ShutdownController,
  closeClients: () => Promise<void>,
  logger: Logger,
  pull: PullSettings | undefined,
  onUnusable: (error: Error) => void,
): Promise<StartedTransport> {
  const transport = new PullTransport(composed.pubsub.subscription(settings.subscription), processor, {
    logger,
    ...pull,
    onError: (error) => {
      const code = (error as { code?: unknown }).code;
      if (code === NOT_FOUND || code === PERMISSION_DENIED) onUnusable(error);
    },
  });
  // Not registered with the controller: the health endpoint answers 503 until the process exits.
  const health = new HealthServer({ port: settings.port, isHealthy: () => !shutdown.isShuttingDown });
  const port = await health.start();
  shutdown.register('pull', stopThen(transport, closeClients));
  transport.start();
  return { port, release: () => health.stop() };
}

async function startPush<T>(
  settings: ServiceSettings,
  composed: ComposedService<T>,
  processor: MessageProcessor<T>,
  shutdown: ShutdownController,
  closeClients: () => Promise<void>,
  logger: Logger,
): Promise<StartedTransport> {
  const server = new PushServer(processor, {
    logger,
    port: settings.port,
    path: PUSH_PATH,
    ...(composed.projectId === undefined ? {} : { projectId: composed.projectId }),
    ...(composed.pushAuthenticator === undefined ? {} : { authenticator: composed.pushAuthenticator }),
  });
  shutdown.register('push', stopThen(server, closeClients));
  return { port: await server.start(), release: () => Promise.resolve() };
}

function stopThen(stoppable: Stoppable, after: () => Promise<void>): Stoppable {
  return {
    stop: async (budgetMs) => {
      await stoppable.stop(budgetMs);
      await after();
    },
  };
}
