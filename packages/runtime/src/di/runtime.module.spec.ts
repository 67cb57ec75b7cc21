import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { Container, inject, injectable } from 'inversify';
import type { ServiceIdentifier } from 'inversify';
import { ShutdownController } from '../lifecycle/shutdown-controller.js';
import { LogCapture } from '../logging/log-capture.js';
import { Logger } from '../logging/logger.js';
import { Clock, SystemClock } from '../time/clock.js';
import { runtimeModule } from './runtime.module.js';

// The convention every service follows: a port interface and a typed token with the same name.
interface Greeter {
  greet(name: string): string;
}
const Greeter: ServiceIdentifier<Greeter> = Symbol('Greeter');

// Explicit @inject on every constructor parameter: nothing relies on emitted type metadata.
@injectable()
class StampedGreeter implements Greeter {
  constructor(
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  greet(name: string): string {
    this.logger.info('greeting', { name });
    return `hello ${name} at ${this.clock.now().toISOString()}`;
  }
}

function buildContainer(capture: LogCapture): Container {
  const container = new Container();
  container.load(
    runtimeModule({ logger: { level: 'info', name: 'test', destination: capture }, shutdownBudgetMs: 1_000 }),
  );
  container.bind(Greeter).to(StampedGreeter).inSingletonScope();
  return container;
}

describe('runtimeModule', () => {
  it('resolves an @injectable class with @inject(TOKEN) constructor parameters', () => {
    const capture = new LogCapture();
    const container = buildContainer(capture);
    const fixed = new Date('2026-01-02T03:04:05.000Z');
    container.rebind(Clock).toConstantValue({ now: () => fixed });

    const greeter: Greeter = container.get(Greeter);
    expect(greeter.greet('partner')).toBe('hello partner at 2026-01-02T03:04:05.000Z');
    expect(capture.entries()[0]).toMatchObject({ message: 'greeting', name: 'partner', serviceName: 'test' });
  });

  it('binds the system clock, the logger and one shutdown controller with the configured budget', () => {
    const container = buildContainer(new LogCapture());
    expect(container.get(Clock)).toBeInstanceOf(SystemClock);
    expect(container.get(Clock).now()).toBeInstanceOf(Date);
    const shutdown = container.get(ShutdownController);
    expect(shutdown).toBe(container.get(ShutdownController));
    expect(shutdown.budgetMs).toBe(1_000);
  });

  it('works with a signal source to start shutdown', async () => {
    const container = buildContainer(new LogCapture());
    const shutdown = container.get(ShutdownController);
    const signals = new EventEmitter();
    let stopped = false;
    const stopListening = shutdown.listen(signals, () => {
      stopped = true;
    });
    signals.emit('SIGTERM');
    await shutdown.shutdown('test');
    expect(shutdown.isShuttingDown).toBe(true);
    expect(stopped).toBe(true);
    stopListening();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});
