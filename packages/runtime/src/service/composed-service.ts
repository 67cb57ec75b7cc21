import type { PubSub } from '@google-cloud/pubsub';
import type { ContainerModule } from 'inversify';

import type { ShutdownController } from '../lifecycle/shutdown-controller.js';
import type { Logger } from '../logging/logger.js';
import type { MessageHandler } from '../messaging/handler.js';
import type { TracingSettings } from '../tracing/tracing-settings.js';
import type { ServiceSettings } from './service-settings.js';

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
  /** Push only: adds trace fields of the request to the delivery's log lines. */
  readonly projectId?: string;
  /**
   * Tracing (the config package's `environment.tracing`); unset or exporter `none`: off. Started
   * before the transport, flushed after `close`.
   */
  readonly tracing?: TracingSettings;
  /** Called after the transport has stopped, to flush publishers and close clients. */
  close?(): Promise<void>;
}
