import { ContainerModule } from 'inversify';
import { ShutdownController } from '../lifecycle/shutdown-controller.js';
import { createLogger } from '../logging/create-logger.js';
import type { LoggerOptions } from '../logging/create-logger.js';
import { Logger } from '../logging/logger.js';
import { Clock, SystemClock } from '../time/clock.js';

export interface RuntimeModuleOptions {
  readonly logger: LoggerOptions;
  /** See `ShutdownOptions.budgetMs`; default 8 s. */
  readonly shutdownBudgetMs?: number;
}

/**
 * The runtime pieces every service needs, as singletons: `Logger`, `Clock` (system time) and the
 * `ShutdownController`. Tests rebind the edges (`container.rebind(Clock)`) rather than mock.
 */
export function runtimeModule(options: RuntimeModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Logger).toConstantValue(createLogger(options.logger));
    bind(Clock).to(SystemClock).inSingletonScope();
    bind(ShutdownController)
      .toResolvedValue(
        (logger: Logger) =>
          new ShutdownController({
            logger,
            ...(options.shutdownBudgetMs === undefined ? {} : { budgetMs: options.shutdownBudgetMs }),
          }),
        [Logger],
      )
      .inSingletonScope();
  });
}

/**
 * The same bindings for instances that already exist: the service bootstrap's logger and
 * shutdown controller, so the container and the transport share them.
 */
export function runtimeInstancesModule(logger: Logger, shutdown: ShutdownController): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Logger).toConstantValue(logger);
    bind(Clock).to(SystemClock).inSingletonScope();
    bind(ShutdownController).toConstantValue(shutdown);
  });
}
