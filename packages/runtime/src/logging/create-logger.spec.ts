import { describe, expect, it } from '@jest/globals';
import { AppError } from '../errors/app-error.js';
import { createLogger } from './create-logger.js';
import { LogCapture } from './log-capture.js';
import { parseCloudTraceContext, parseTraceparent, traceFields } from './trace-fields.js';

const pem = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACBtb3N0bHlfc2VjcmV0X2tleV9tYXRlcmlhbF9oZXJlAAAA',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');
const password = 'S3cr3t-Pa55w0rd!';
const webhook = 'https://hooks.slack.com/services/T000AAA/B000BBB/XXXXsecretXXXXwebhook';

function setUp(level: 'debug' | 'info' = 'debug') {
  const capture = new LogCapture();
  const logger = createLogger({ level, name: 'uploader', destination: capture });
  return { capture, logger };
}

describe('createLogger', () => {
  it('writes Cloud Logging JSON: severity, message, ISO time, service name', () => {
    const { capture, logger } = setUp();
    logger.debug('d');
    logger.info('i', { rows: 3 });
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    const entries = capture.entries();
    expect(entries.map((entry) => entry['severity'])).toEqual([
      'DEBUG',
      'INFO',
      'WARNING',
      'ERROR',
      'CRITICAL',
    ]);
    expect(entries[1]).toMatchObject({ message: 'i', rows: 3, serviceName: 'uploader' });
    expect(entries[1]).not.toHaveProperty('msg');
    expect(entries[1]).not.toHaveProperty('level');
    expect(new Date(String(entries[0]?.['time'])).toISOString()).toBe(entries[0]?.['time']);
  });

  it('drops lines below the configured level', () => {
    const { capture, logger } = setUp('info');
    logger.debug('hidden');
    logger.info('shown');
    expect(capture.entries().map((entry) => entry['message'])).toEqual(['shown']);
  });

  it('gives child loggers their run bindings, redacted too', () => {
    const { capture, logger } = setUp();
    const run = logger.child({ runId: 'run-1', exportName: 'daily' }).child({ password });
    run.info('started');
    expect(capture.entries()[0]).toMatchObject({
      runId: 'run-1',
      exportName: 'daily',
      password: '[REDACTED]',
    });
    expect(capture.text()).not.toContain(password);
  });

  it('writes trace fields under the Cloud Logging keys', () => {
    const { capture, logger } = setUp();
    const trace = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(trace).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    logger.child(traceFields('proj', trace!)).info('traced');
    expect(capture.entries()[0]).toMatchObject({
      'logging.googleapis.com/trace': 'projects/proj/traces/4bf92f3577b34da6a3ce929d0e0e4736',
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      'logging.googleapis.com/trace_sampled': true,
    });
    expect(parseCloudTraceContext('4BF92F3577B34DA6A3CE929D0E0E4736/1;o=1')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '0000000000000001',
      sampled: true,
    });
    expect(parseCloudTraceContext('4bf92f3577b34da6a3ce929d0e0e4736')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(parseCloudTraceContext('nope/1')).toBeUndefined();
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(undefined)).toBeUndefined();
  });

  it('redacts secrets by key at any depth', () => {
    const { capture, logger } = setUp();
    logger.info('config', {
      destination: { host: 'sftp.example.com', auth: { password, privateKey: pem, passphrase: password } },
      SFTP_PASSWORD: password,
      slack: { webhookUrl: webhook },
      headers: [{ authorization: `Bearer ${password}` }],
      apiToken: password,
      client_secret: password,
      smtp: { auth: { user: 'mailer', pass: password } },
    });
    const [entry] = capture.entries();
    expect(entry).toMatchObject({
      destination: { host: 'sftp.example.com', auth: { password: '[REDACTED]' } },
    });
    const text = capture.text();
    for (const secret of [password, 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', 'XXXXsecretXXXXwebhook']) {
      expect(text).not.toContain(secret);
    }
  });

  it('redacts secrets by pattern inside strings and messages', () => {
    const { capture, logger } = setUp();
    logger.warn(`posting to ${webhook} failed`, {
      note: `key was ${pem} and more`,
      url: `sftp://alice:${password}@sftp.example.com:22/in`,
      connection: `host=db password=QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwYWJjZGVm user=x`,
      header: 'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig',
    });
    const text = capture.text();
    expect(text).not.toContain('XXXXsecretXXXXwebhook');
    expect(text).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ');
    expect(text).not.toContain(password);
    expect(text).not.toContain('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkw');
    expect(text).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    const [entry] = capture.entries();
    expect(entry?.['message']).toBe('posting to https://hooks.slack.com/[REDACTED] failed');
    expect(entry?.['url']).toBe('sftp://[REDACTED]@sftp.example.com:22/in');
    expect(entry?.['connection']).toBe('host=db password=[REDACTED] user=x');
  });

  it('serialises errors with code, stack and cause chain, redacting what a client attached to them', () => {
    const { capture, logger } = setUp();
    // ssh2-sftp-client has been seen attaching its whole connect config to errors.
    const clientError = Object.assign(new Error(`connect: All configured authentication methods failed`), {
      code: 'ERR_GENERIC_CLIENT',
      config: { host: 'sftp.example.com', username: 'alice', password, privateKey: pem },
    });
    const wrapped = new AppError('SFTP connection failed', {
      code: 'SFTP_CONNECT_FAILED',
      retryable: true,
      cause: clientError,
      details: { host: 'sftp.example.com' },
    });
    logger.error('delivery failed', { err: wrapped });
    logger.error('bare', { error: clientError });

    const text = capture.text();
    expect(text).not.toContain(password);
    expect(text).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ');
    const [first, second] = capture.entries();
    expect(first?.['err']).toMatchObject({
      type: 'AppError',
      message: 'SFTP connection failed',
      code: 'SFTP_CONNECT_FAILED',
      retryable: true,
      details: { host: 'sftp.example.com' },
      cause: {
        type: 'Error',
        code: 'ERR_GENERIC_CLIENT',
        config: {
          host: 'sftp.example.com',
          username: 'alice',
          password: '[REDACTED]',
          privateKey: '[REDACTED]',
        },
      },
    });
    expect(String((first?.['err'] as Record<string, unknown>)['stack'])).toContain('SFTP connection failed');
    expect(first?.['err']).not.toHaveProperty('name');
    expect(second?.['error']).toMatchObject({
      code: 'ERR_GENERIC_CLIENT',
      config: { password: '[REDACTED]' },
    });
  });

  it('survives cycles and reduces binary data to its size', () => {
    const { capture, logger } = setUp();
    const looped: Record<string, unknown> = { name: 'loop' };
    looped['self'] = looped;
    logger.info('odd values', { looped, payload: Buffer.from('row,values,here'), big: 10n });
    const [entry] = capture.entries();
    expect(entry).toMatchObject({
      looped: { name: 'loop', self: '[Circular]' },
      payload: '[binary 15 bytes]',
      big: '10',
    });
    expect(capture.text()).not.toContain('row,values');
  });
});
