import { describe, expect, it } from '@jest/globals';
import { LogCapture } from '../logging/log-capture.js';
import { createLogger } from '../logging/create-logger.js';
import { ShutdownController } from './shutdown-controller.js';

describe('ShutdownController', () => {
  it('aborts its signal and stops every registered stoppable with its budget, once', async () => {
    const shutdown = new ShutdownController({ budgetMs: 500 });
    const budgets: number[] = [];
    shutdown.register('a', { stop: (budgetMs) => Promise.resolve(void budgets.push(budgetMs)) });
    shutdown.register('b', { stop: (budgetMs) => Promise.resolve(void budgets.push(budgetMs)) });
    expect(shutdown.isShuttingDown).toBe(false);

    const first = shutdown.shutdown('SIGTERM');
    expect(shutdown.signal.aborted).toBe(true);
    expect(shutdown.shutdown('again')).toBe(first);
    await first;
    expect(budgets).toEqual([500, 500]);
  });

  it('resolves when a stoppable never finishes, after budget and grace, and says which one', async () => {
    const capture = new LogCapture();
    const shutdown = new ShutdownController({
      budgetMs: 20,
      graceMs: 20,
      logger: createLogger({ level: 'info', name: 't', destination: capture }),
    });
    shutdown.register('stuck', { stop: () => new Promise<void>(() => undefined) });
    shutdown.register('failing', { stop: () => Promise.reject(new Error('boom')) });
    await shutdown.shutdown('SIGTERM');
    const messages = capture
      .entries()
      .map((entry) => [entry['message'], entry['pending'] ?? entry['stoppable']]);
    expect(messages).toContainEqual(['shutdown ran out of time', ['stuck']]);
    expect(messages).toContainEqual(['stopping failed', 'failing']);
  });
});
