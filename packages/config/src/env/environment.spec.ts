import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';

import { isAppError } from '@bq-sftp-export/runtime';

import { ENVIRONMENT_INVALID, parseEnvironment } from './environment.js';

const fingerprint = `SHA256:${'A'.repeat(43)}`;

describe('parseEnvironment', () => {
  it('applies defaults to an empty environment', () => {
    const environment = parseEnvironment({});
    expect(environment).toMatchObject({ configSource: 'configs', logLevel: 'info', port: 8080 });
    expect(environment.sftpHost).toBeUndefined();
    expect(Object.isFrozen(environment)).toBe(true);
  });

  it("reads the seed's variables and the new ones", () => {
    const environment = parseEnvironment({
      SFTP_HOST: 'sftp.example.com',
      SFTP_USERNAME: 'acme',
      SFTP_PORT: '2222',
      SFTP_PASSWORD: 'pw-123',
      SFTP_HOST_KEY_FINGERPRINTS: ` ${fingerprint} ,`,
      GOOGLE_APPLICATION_CREDENTIALS: '/keys/sa.json',
      GOOGLE_CLOUD_PROJECT: 'my-project',
      STAGING_BUCKET: 'bqx-staging',
      CONFIG_SOURCE: 'gs://bqx-config/configs',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:8085',
      STORAGE_EMULATOR_HOST: 'http://127.0.0.1:4443',
      BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9050',
      LOG_LEVEL: 'debug',
      PORT: '9000',
      UNRELATED: 'x',
    });
    expect(environment).toMatchObject({
      sftpHost: 'sftp.example.com',
      sftpUsername: 'acme',
      sftpPort: 2222,
      sftpHostKeyFingerprints: [fingerprint],
      googleApplicationCredentials: '/keys/sa.json',
      googleCloudProject: 'my-project',
      stagingBucket: 'bqx-staging',
      configSource: 'gs://bqx-config/configs',
      pubsubEmulatorHost: '127.0.0.1:8085',
      storageEmulatorHost: 'http://127.0.0.1:4443',
      bigqueryEmulatorHost: 'http://127.0.0.1:9050',
      logLevel: 'debug',
      port: 9000,
    });
    expect(environment.secrets.get('SFTP_PASSWORD')?.reveal()).toBe('pw-123');
    expect(environment.secrets.get('EMAIL_PASSWORD')).toBeUndefined();
  });

  it('never shows secrets when the environment is printed', () => {
    const environment = parseEnvironment({ SFTP_PASSWORD: 'pw-123', SLACK_WEBHOOK_URL: 'https://hooks/xyz' });
    const secret = environment.secrets.get('SLACK_WEBHOOK_URL');
    for (const text of [
      JSON.stringify(environment),
      inspect(environment, { depth: 10, showHidden: true }),
      inspect(secret),
    ]) {
      expect(text).not.toContain('pw-123');
      expect(text).not.toContain('hooks/xyz');
    }
  });

  it('names every bad variable, never its value', () => {
    let message = '';
    try {
      parseEnvironment({
        PORT: '99999',
        SFTP_PORT: '0',
        LOG_LEVEL: 'loud',
        GOOGLE_CLOUD_PROJECT: 'Bad_Project',
        PUBSUB_EMULATOR_HOST: 'nohost',
      });
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code?: string }).code).toBe('ENVIRONMENT_INVALID');
    }
    for (const name of ['PORT', 'SFTP_PORT', 'LOG_LEVEL', 'GOOGLE_CLOUD_PROJECT', 'PUBSUB_EMULATOR_HOST'])
      expect(message).toContain(name);
    expect(message).not.toContain('Bad_Project');
    expect(message).not.toContain('nohost');
  });

  it('validates SFTP_HOST as the config validates sftp.host, naming the variable', () => {
    for (const host of ['sftp.example.com', 'partner-1.example.co.uk', '10.0.0.7', '[::1]'])
      expect(parseEnvironment({ SFTP_HOST: host }).sftpHost).toBe(host);
    for (const host of [
      'sftp.example.com:22',
      'sftp://sftp.example.com',
      'two words',
      '-x.example',
      'a'.repeat(254),
    ])
      expect(() => parseEnvironment({ SFTP_HOST: host })).toThrow(
        expect.objectContaining({
          code: 'ENVIRONMENT_INVALID',
          message: expect.stringMatching(/^environment is invalid: SFTP_HOST: expected /),
          details: { variables: ['SFTP_HOST'] },
        }),
      );
  });

  it('accepts PORT=0 (any free port) but not SFTP_PORT=0', () => {
    expect(parseEnvironment({ PORT: '0' }).port).toBe(0);
    expect(() => parseEnvironment({ SFTP_PORT: '0' })).toThrow(/SFTP_PORT: expected a port 1-65535/);
  });

  it('treats empty values as unset', () => {
    expect(parseEnvironment({ PORT: '', SFTP_PASSWORD: '' })).toMatchObject({ port: 8080 });
    expect(parseEnvironment({ SFTP_PASSWORD: '' }).secrets.get('SFTP_PASSWORD')).toBeUndefined();
  });

  it('reads tracing: off by default, a file that TRACE_EXPORTER=file requires, a ratio 0-1', () => {
    expect(parseEnvironment({}).tracing).toEqual({ exporter: 'none', sampleRatio: 1 });
    expect(
      parseEnvironment({ TRACE_EXPORTER: 'file', TRACE_FILE: 'traces.jsonl', TRACE_SAMPLE_RATIO: '0.25' })
        .tracing,
    ).toEqual({ exporter: 'file', file: 'traces.jsonl', sampleRatio: 0.25 });
    expect(parseEnvironment({ TRACE_EXPORTER: 'cloud-trace' }).tracing.exporter).toBe('cloud-trace');
    expect(() => parseEnvironment({ TRACE_EXPORTER: 'file' })).toThrow(
      /TRACE_FILE: required with TRACE_EXPORTER=file/,
    );
    expect(() => parseEnvironment({ TRACE_EXPORTER: 'jaeger' })).toThrow(/TRACE_EXPORTER/);
    expect(() => parseEnvironment({ TRACE_SAMPLE_RATIO: '1.5' })).toThrow(
      /TRACE_SAMPLE_RATIO: expected a ratio 0-1/,
    );
  });

  it('reads STORAGE_READ_MIN_ROWS (default 100 000) and refuses a non-count, naming it', () => {
    expect(parseEnvironment({}).storageReadMinRows).toBe(100_000);
    expect(
      parseEnvironment({ STORAGE_READ_MIN_ROWS: '0', BIGQUERY_STORAGE_EMULATOR_HOST: 'localhost:9061' }),
    ).toMatchObject({ storageReadMinRows: 0, bigqueryStorageEmulatorHost: 'localhost:9061' });
    for (const bad of ['-1', '1e6', 'many']) {
      expect(() => parseEnvironment({ STORAGE_READ_MIN_ROWS: bad })).toThrow(/STORAGE_READ_MIN_ROWS/);
    }
    expect(() => parseEnvironment({ BIGQUERY_STORAGE_EMULATOR_HOST: 'nohost' })).toThrow(
      /BIGQUERY_STORAGE_EMULATOR_HOST/,
    );
  });
});

describe('parseEnvironment: push endpoint variables', () => {
  it('accepts push with PUSH_AUDIENCE and PUSH_SERVICE_ACCOUNT, or PUSH_AUTH=none locally', () => {
    const push = {
      TRANSPORT: 'push',
      PUSH_AUDIENCE: 'bqx-uploader',
      PUSH_SERVICE_ACCOUNT: 'bqx-push-invoker@p.iam.gserviceaccount.com',
      BIND_HOST: '0.0.0.0',
    };
    expect(() => parseEnvironment(push)).not.toThrow();
    expect(() => parseEnvironment({ TRANSPORT: 'push', PUSH_AUTH: 'none' })).not.toThrow();
  });

  it('fails ENVIRONMENT_INVALID naming each missing or bad push variable (with the schema problems)', () => {
    let caught: unknown;
    try {
      parseEnvironment({
        TRANSPORT: 'push',
        PUSH_AUTH: 'none',
        K_SERVICE: 'bqx-uploader',
        BIND_HOST: 'bad host!',
        PORT: 'x',
        PUSH_ACK_DEADLINE_SECONDS: '700',
      });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.code).toBe(ENVIRONMENT_INVALID);
    expect(isAppError(caught) && caught.details).toEqual({
      variables: ['PORT', 'BIND_HOST', 'PUSH_AUTH', 'PUSH_ACK_DEADLINE_SECONDS'],
    });
    expect((caught as Error).message).not.toContain('bad host!');
    expect(() => parseEnvironment({ TRANSPORT: 'push' })).toThrow(
      /PUSH_AUDIENCE: required with TRANSPORT=push.*PUSH_SERVICE_ACCOUNT: required with TRANSPORT=push/,
    );
  });
});
