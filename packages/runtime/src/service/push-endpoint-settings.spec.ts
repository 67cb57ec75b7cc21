import { describe, expect, it } from '@jest/globals';

import { isAppError } from '../errors/app-error.js';
import { readPushEndpointSettings } from './push-endpoint-settings.js';
import { parseServiceSettings } from './service-settings.js';

const PUSH = {
  TRANSPORT: 'push',
  PUSH_AUDIENCE: 'https://bqx-uploader-123.europe-west1.run.app',
  PUSH_SERVICE_ACCOUNT: 'bqx-push-invoker@proj.iam.gserviceaccount.com',
};

function problemsOf(environment: Record<string, string>): readonly string[] {
  return readPushEndpointSettings(environment).problems;
}

describe('readPushEndpointSettings', () => {
  it('push verifies OIDC tokens by default, for the configured audience and account', () => {
    expect(
      readPushEndpointSettings({
        ...PUSH,
        PUSH_SERVICE_ACCOUNT: ' Bqx-Push-Invoker@proj.iam.gserviceaccount.com ',
      }),
    ).toEqual({
      settings: {
        bindHost: '127.0.0.1',
        pushAuth: {
          mode: 'oidc',
          audience: PUSH.PUSH_AUDIENCE,
          serviceAccount: 'bqx-push-invoker@proj.iam.gserviceaccount.com',
        },
        pushAckDeadlineSeconds: 600,
      },
      problems: [],
    });
  });

  it('refuses push without an audience or service account, naming both', () => {
    expect(problemsOf({ TRANSPORT: 'push' })).toEqual([
      'PUSH_AUDIENCE: required with TRANSPORT=push (or set PUSH_AUTH=none for local runs)',
      'PUSH_SERVICE_ACCOUNT: required with TRANSPORT=push (or set PUSH_AUTH=none for local runs)',
    ]);
    expect(
      problemsOf({ TRANSPORT: 'push', PUSH_AUDIENCE: PUSH.PUSH_AUDIENCE, PUSH_SERVICE_ACCOUNT: '' }),
    ).toEqual(['PUSH_SERVICE_ACCOUNT: required with TRANSPORT=push (or set PUSH_AUTH=none for local runs)']);
  });

  it('PUSH_AUTH=none opts out locally, and is refused on Cloud Run', () => {
    expect(readPushEndpointSettings({ TRANSPORT: 'push', PUSH_AUTH: 'none' })).toEqual({
      settings: { bindHost: '127.0.0.1', pushAuth: { mode: 'none' }, pushAckDeadlineSeconds: 600 },
      problems: [],
    });
    expect(problemsOf({ TRANSPORT: 'push', PUSH_AUTH: 'none', K_SERVICE: 'bqx-uploader' })).toEqual([
      'PUSH_AUTH: none is for local runs and must not be set on Cloud Run (K_SERVICE is set)',
    ]);
  });

  it('names malformed values', () => {
    expect(
      problemsOf({
        ...PUSH,
        PUSH_AUTH: 'iap',
        PUSH_AUDIENCE: 'two words',
        PUSH_SERVICE_ACCOUNT: 'not-an-email',
        BIND_HOST: 'a b',
      }),
    ).toEqual([
      'BIND_HOST: expected an IP address or host name',
      'PUSH_AUTH: expected oidc or none',
      'PUSH_AUDIENCE: expected the token audience (a URL or string without spaces)',
      'PUSH_SERVICE_ACCOUNT: expected a service account email',
    ]);
  });

  it('reads PUSH_ACK_DEADLINE_SECONDS (Pub/Sub allows 10 to 600) and names a bad one', () => {
    expect(
      readPushEndpointSettings({ ...PUSH, PUSH_ACK_DEADLINE_SECONDS: '120' }).settings.pushAckDeadlineSeconds,
    ).toBe(120);
    for (const bad of ['9', '601', '60.5', 'ten']) {
      expect(problemsOf({ ...PUSH, PUSH_ACK_DEADLINE_SECONDS: bad })).toEqual([
        'PUSH_ACK_DEADLINE_SECONDS: expected whole seconds from 10 to 600 (the subscription ack deadline)',
      ]);
    }
  });

  it('a pull worker needs no push settings and authenticates nothing', () => {
    expect(readPushEndpointSettings({}).settings.pushAuth).toEqual({ mode: 'none' });
    expect(readPushEndpointSettings({ PUSH_AUDIENCE: 'x' }).settings.pushAuth).toEqual({ mode: 'none' });
  });

  it('binds all interfaces on Cloud Run (K_SERVICE set), the loopback elsewhere, BIND_HOST when given', () => {
    expect(readPushEndpointSettings({ ...PUSH, K_SERVICE: 'bqx-uploader' }).settings.bindHost).toBe(
      '0.0.0.0',
    );
    expect(readPushEndpointSettings({}).settings.bindHost).toBe('127.0.0.1');
    expect(readPushEndpointSettings({ BIND_HOST: '::' }).settings.bindHost).toBe('::');
    expect(readPushEndpointSettings({ BIND_HOST: 'localhost' }).settings.bindHost).toBe('localhost');
    expect(readPushEndpointSettings({ BIND_HOST: '0.0.0.0' }).settings.bindHost).toBe('0.0.0.0');
  });

  it('parseServiceSettings reports these problems as SERVICE_SETTINGS_INVALID, naming the variables', () => {
    let caught: unknown;
    try {
      parseServiceSettings({ TRANSPORT: 'push' }, { subscription: 'uploader.file-ready' });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.code).toBe('SERVICE_SETTINGS_INVALID');
    expect(isAppError(caught) && caught.details).toEqual({
      variables: ['PUSH_AUDIENCE', 'PUSH_SERVICE_ACCOUNT'],
    });
  });
});
