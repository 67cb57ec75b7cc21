import { HealthServer } from '../http/health-server.js';
import type { ShutdownController, Stoppable } from '../lifecycle/shutdown-controller.js';
import type { Logger } from '../logging/logger.js';
import type { MessageProcessor } from '../messaging/message-processor.js';
import { PullTransport } from '../messaging/pull/pull-transport.js';
import type { PullSettings } from '../messaging/pull/pull-subscriber-options.js';
import { allowUnauthenticatedPush } from '../messaging/push/push-authenticator.js';
import type { PushAuthenticator } from '../messaging/push/push-authenticator.js';
import { OidcPushAuthenticator } from '../messaging/push/oidc-push-authenticator.js';
import { PushServer } from '../messaging/push/push-server.js';
import type { ComposedService } from './composed-service.js';
import type { ServiceSettings } from './service-settings.js';

/** Where Terraform points push subscriptions: `<service-url>/pubsub/push`. */
export const PUSH_PATH = '/pubsub/push';

/** What both transports are built from. */
export interface TransportParts<T> {
  readonly settings: ServiceSettings;
  readonly composed: ComposedService<T>;
  readonly processor: MessageProcessor<T>;
  readonly shutdown: ShutdownController;
  /** Runs once the transport has stopped. */
  readonly closeClients: () => Promise<void>;
  readonly logger: Logger;
  /** Where the OIDC verifier fetches signing keys; default Google's. */
  readonly pushCertificatesUrl?: string;
}

export interface StartedTransport {
  readonly port: number;
  /** Frees what outlives the shutdown (the pull worker's health endpoint, which stays up until exit). */
  release(): Promise<void>;
}

const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;

/** A streaming-pull worker and its health endpoint; `onUnusable` on NOT_FOUND / PERMISSION_DENIED. */
export async function startPull<T>(
  parts: TransportParts<T>,
  pull: PullSettings | undefined,
  onUnusable: (error: Error) => void,
): Promise<StartedTransport> {
  const { settings, shutdown } = parts;
  const transport = new PullTransport(
    parts.composed.pubsub.subscription(settings.subscription),
    parts.processor,
    {
      logger: parts.logger,
      ...pull,
      onError: (error) => {
        const code = (error as { code?: unknown }).code;
        if (code === NOT_FOUND || code === PERMISSION_DENIED) onUnusable(error);
      },
    },
  );
  // Not registered with the controller: the health endpoint answers 503 until the process exits.
  const health = new HealthServer({
    port: settings.port,
    host: settings.bindHost,
    isHealthy: () => !shutdown.isShuttingDown,
  });
  const port = await health.start();
  shutdown.register('pull', stopThen(transport, parts.closeClients));
  transport.start();
  return { port, release: () => health.stop() };
}

/** The push endpoint at `PUSH_PATH` (and `/healthz`), verifying each request's OIDC token unless `PUSH_AUTH=none`. */
export async function startPush<T>(parts: TransportParts<T>): Promise<StartedTransport> {
  const { composed, settings } = parts;
  const server = new PushServer(parts.processor, {
    logger: parts.logger,
    port: settings.port,
    host: settings.bindHost,
    path: PUSH_PATH,
    ackDeadlineMs: settings.pushAckDeadlineSeconds * 1000,
    authenticator: pushAuthenticator(parts),
    ...(composed.projectId === undefined ? {} : { projectId: composed.projectId }),
  });
  parts.shutdown.register('push', stopThen(server, parts.closeClients));
  return { port: await server.start(), release: () => Promise.resolve() };
}

function pushAuthenticator<T>({
  settings,
  logger,
  pushCertificatesUrl,
}: TransportParts<T>): PushAuthenticator {
  const auth = settings.pushAuth;
  if (auth.mode === 'none') {
    logger.warn('push requests are NOT authenticated (PUSH_AUTH=none): for local runs only');
    return allowUnauthenticatedPush;
  }
  logger.info('push requests need an OIDC token', {
    audience: auth.audience,
    serviceAccount: auth.serviceAccount,
  });
  return new OidcPushAuthenticator({
    audience: auth.audience,
    serviceAccount: auth.serviceAccount,
    ...(pushCertificatesUrl === undefined ? {} : { certificatesUrl: pushCertificatesUrl }),
  });
}

function stopThen(stoppable: Stoppable, after: () => Promise<void>): Stoppable {
  return {
    stop: async (budgetMs) => {
      await stoppable.stop(budgetMs);
      await after();
    },
  };
}
