import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';

import { AppError } from '../errors/app-error.js';
import { LogCapture } from '../logging/log-capture.js';
import { runMessageService } from './run-message-service.js';
import type { MessageServiceOptions, ServiceProcess } from './run-message-service.js';

class FakeProcess extends EventEmitter implements ServiceProcess {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

function options(
  environment: Record<string, string>,
  compose: MessageServiceOptions<string>['compose'],
): { options: MessageServiceOptions<string>; host: FakeProcess; logs: LogCapture } {
  const host = new FakeProcess();
  const logs = new LogCapture();
  return {
    host,
    logs,
    options: {
      serviceName: 'unit',
      environment,
      consumes: { subscription: 'unit.jobs', deadLetterTopic: 'jobs.dead-letter' },
      decode: (data) => data.toString(),
      compose,
      process: host,
      logDestination: logs,
    },
  };
}

describe('runMessageService start-up failures', () => {
  it('bad settings: one CRITICAL line naming the variable, exit 1, the composition root never runs', async () => {
    let composed = false;
    const {
      options: run,
      host,
      logs,
    } = options({ PORT: 'eighty', SFTP_PASSWORD: 'hunter2' }, () => {
      composed = true;
      throw new Error('unreachable');
    });
    await expect(runMessageService(run)).resolves.toBeUndefined();
    expect(host.exits).toEqual([1]);
    expect(composed).toBe(false);
    expect(logs.entries()).toHaveLength(1);
    expect(logs.entries()[0]).toMatchObject({ severity: 'CRITICAL', stage: 'settings', serviceName: 'unit' });
    expect(String(logs.entries()[0]?.['message'])).toContain(
      'PORT: expected a whole number 0-65535, got "eighty"',
    );
    expect(logs.text()).not.toContain('hunter2');
  });

  it('BQX_FAULT_INJECTION on Cloud Run (K_SERVICE set): refused at start-up, exit 1', async () => {
    const {
      options: run,
      host,
      logs,
    } = options({ BQX_FAULT_INJECTION: 'uploader.renamed:kill', K_SERVICE: 'uploader' }, () => {
      throw new Error('unreachable');
    });
    await expect(runMessageService(run)).resolves.toBeUndefined();
    expect(host.exits).toEqual([1]);
    expect(logs.entries()[0]).toMatchObject({ severity: 'CRITICAL', stage: 'settings' });
    expect(String(logs.entries()[0]?.['message'])).toContain('must not be set on Cloud Run');
  });

  it('a failing composition root (e.g. invalid config): start-up facts, then one CRITICAL line, exit 1', async () => {
    const {
      options: run,
      host,
      logs,
    } = options({ LOG_LEVEL: 'warn' }, () =>
      Promise.reject(
        new AppError('config is invalid: exports[0].table: expected project.dataset.table', {
          code: 'CONFIG_INVALID',
          retryable: false,
        }),
      ),
    );
    await expect(runMessageService(run)).resolves.toBeUndefined();
    expect(host.exits).toEqual([1]);
    // LOG_LEVEL=warn hides the INFO start-up facts; the failure still shows.
    expect(logs.entries()).toHaveLength(1);
    expect(logs.entries()[0]).toMatchObject({
      severity: 'CRITICAL',
      stage: 'compose',
      message: 'start-up failed: config is invalid: exports[0].table: expected project.dataset.table',
      err: { code: 'CONFIG_INVALID' },
    });
  });
});
