import { describe, expect, it } from '@jest/globals';

import { isAppError } from '../errors/app-error.js';
import { logLevelOf, parseServiceSettings } from './service-settings.js';

const defaults = { subscription: 'uploader.file-ready' };

describe('parseServiceSettings', () => {
  it('defaults to a pull worker on the given subscription, port 8080 on the loopback, info, 8 s budget', () => {
    expect(parseServiceSettings({}, defaults)).toEqual({
      transport: 'pull',
      subscription: 'uploader.file-ready',
      port: 8080,
      bindHost: '127.0.0.1',
      pushAuth: { mode: 'none' },
      pushAckDeadlineSeconds: 600,
      logLevel: 'info',
      shutdownBudgetMs: 8_000,
    });
  });

  it('reads TRANSPORT, SUBSCRIPTION, PORT, LOG_LEVEL and SHUTDOWN_BUDGET_MS; empty means unset', () => {
    const settings = parseServiceSettings(
      {
        TRANSPORT: 'push',
        SUBSCRIPTION: 'other.sub',
        PORT: '0',
        LOG_LEVEL: 'trace',
        SHUTDOWN_BUDGET_MS: '500',
        PUSH_AUDIENCE: 'bqx-uploader',
        PUSH_SERVICE_ACCOUNT: 'bqx-push-invoker@p.iam.gserviceaccount.com',
      },
      defaults,
    );
    expect(settings).toEqual({
      transport: 'push',
      subscription: 'other.sub',
      port: 0,
      bindHost: '127.0.0.1',
      pushAuth: {
        mode: 'oidc',
        audience: 'bqx-uploader',
        serviceAccount: 'bqx-push-invoker@p.iam.gserviceaccount.com',
      },
      pushAckDeadlineSeconds: 600,
      logLevel: 'debug',
      shutdownBudgetMs: 500,
    });
    expect(parseServiceSettings({ TRANSPORT: '', PORT: ' ' }, defaults).transport).toBe('pull');
  });

  it('reports every bad variable at once, naming it', () => {
    let caught: unknown;
    try {
      parseServiceSettings(
        {
          TRANSPORT: 'grpc',
          SUBSCRIPTION: 'a b',
          PORT: '80a',
          LOG_LEVEL: 'loud',
          SHUTDOWN_BUDGET_MS: '9500',
        },
        defaults,
      );
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.code).toBe('SERVICE_SETTINGS_INVALID');
    expect(isAppError(caught) && caught.details).toEqual({
      variables: ['TRANSPORT', 'SUBSCRIPTION', 'PORT', 'LOG_LEVEL', 'SHUTDOWN_BUDGET_MS'],
    });
    expect((caught as Error).message).toContain(
      'SHUTDOWN_BUDGET_MS: expected a whole number 1-8500, got "9500"',
    );
  });

  it('logLevelOf falls back to info for a bad level', () => {
    expect(logLevelOf({ LOG_LEVEL: 'loud' })).toBe('info');
    expect(logLevelOf({ LOG_LEVEL: 'warn' })).toBe('warn');
  });
});
