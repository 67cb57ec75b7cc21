import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PubSub } from '@google-cloud/pubsub';
import type { Message } from '@google-cloud/pubsub';

import { clientOptions, startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import type { LocalPubSub } from '@bq-sftp-export/local-pubsub';

import { pollUntil } from '@bq-sftp-export/testing';
import { WAIT } from '../messaging/testing/wait-for.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '../..');
const buildDir = path.join(packageDir, 'node_modules/.cache/run-message-service-int');
const fixture = path.join(here, 'testing/echo-service.fixture.ts');

let server: LocalPubSub;
let pubsub: PubSub;
const children: ChildProcess[] = [];

interface Service {
  readonly child: ChildProcess;
  /** Every stdout line parsed as JSON (the service's logs). */
  readonly logs: Array<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startService(env: Record<string, string>): Service {
  const child = spawn(process.execPath, ['--no-warnings', fixture], {
    cwd: packageDir,
    env: {
      PATH: process.env['PATH'] ?? '',
      RUNTIME_ENTRY: path.join(buildDir, 'index.js'),
      PUBSUB_EMULATOR_HOST: server.emulatorHost,
      PORT: '0',
      SHUTDOWN_BUDGET_MS: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const logs: Array<Record<string, unknown>> = [];
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => logs.push({ stderr: chunk }));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, logs, exited };
}

const logged = (service: Service, message: string): Record<string, unknown> | undefined =>
  service.logs.find((entry) => entry['message'] === message);

/** The next message a fresh subscriber on `subscription` gets (acked). */
async function receiveOne(subscription: string): Promise<Message> {
  const received: Message[] = [];
  const stream = pubsub.subscription(subscription);
  stream.on('message', (message: Message) => {
    received.push(message);
    message.ack();
  });
  const [message] = await pollUntil(() => (received.length > 0 ? received : undefined), {
    describe: 'a delivery',
    ...WAIT,
  });
  await stream.close();
  return message as Message;
}

beforeAll(async () => {
  // The child runs the compiled runtime, as a deployed service does; build it once, privately.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [
    tsc,
    '-p',
    path.join(packageDir, 'tsconfig.build.json'),
    '--outDir',
    buildDir,
    '--declaration',
    'false',
    '--declarationMap',
    'false',
    '--sourceMap',
    'false',
  ]);
  server = await startLocalPubSub({ port: 0 });
  pubsub = new PubSub(clientOptions(server.host, 'service-test'));
  await pubsub.createTopic('work');
  await pubsub.createTopic('work.dead-letter');
  await pubsub.createSubscription('work', 'echo.work', {
    deadLetterPolicy: { deadLetterTopic: pubsub.topic('work.dead-letter').name, maxDeliveryAttempts: 10 },
  });
}, 120_000);

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await pubsub.close();
  await server.stop();
});

describe('runMessageService in a real child process', () => {
  it('handles and acks a message, then exits 0 on SIGTERM', async () => {
    const service = startService({});
    await pollUntil(() => logged(service, 'service started'), { describe: 'start-up', ...WAIT });
    expect(logged(service, 'service starting')).toMatchObject({
      serviceName: 'echo-fixture',
      severity: 'INFO',
      transport: 'pull',
      subscription: 'echo.work',
      deadLetterTopic: 'work.dead-letter',
      shutdownBudgetMs: 1000,
    });

    await pubsub.topic('work').publishMessage({ data: Buffer.from('hello') });
    const handled = await pollUntil(() => logged(service, 'message handled'), {
      describe: 'the message to be handled',
      ...WAIT,
    });
    expect(handled).toMatchObject({ outcome: 'acked', subscription: 'echo.work', deliveryAttempt: 1 });
    await pollUntil(() => (server.outstanding('echo.work').length === 0 ? true : undefined), {
      describe: 'the ack',
      ...WAIT,
    });

    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(logged(service, 'shut down')).toMatchObject({ reason: 'SIGTERM' });
  });

  it('on SIGTERM during a slow handler exits 0 within 10 s without acking; the message is redelivered', async () => {
    const service = startService({});
    await pollUntil(() => logged(service, 'service started'), { describe: 'start-up', ...WAIT });
    const id = await pubsub.topic('work').publishMessage({ data: Buffer.from('slow') });
    await pollUntil(() => logged(service, 'slow handler started'), { describe: 'the slow handler', ...WAIT });

    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    const exit = await service.exited;
    const exitMs = Date.now() - signalledAt;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(10_000); // Cloud Run's limit, not a speed target
    expect(logged(service, 'pull transport drained')).toMatchObject({ finished: 0, abandoned: 1 });
    expect(service.logs.some((entry) => entry['outcome'] === 'acked')).toBe(false);

    const message = await receiveOne('echo.work');
    expect(message.id).toBe(id);
    expect(message.deliveryAttempt).toBe(2);
  });

  it("redelivers a crashed worker's message once its lease runs out (SIGKILL: no nack, no close)", async () => {
    const service = startService({});
    await pollUntil(() => logged(service, 'service started'), { describe: 'start-up', ...WAIT });
    const id = await pubsub.topic('work').publishMessage({ data: Buffer.from('slow') });
    await pollUntil(() => logged(service, 'slow handler started'), { describe: 'the slow handler', ...WAIT });

    service.child.kill('SIGKILL');
    expect(await service.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(server.outstanding('echo.work')).toMatchObject([{ leased: true }]);

    // The lease the worker last extended (10 s at most with the default settings) must run out first.
    const message = await receiveOne('echo.work');
    expect(message.id).toBe(id);
    expect(message.deliveryAttempt).toBe(2);
  });

  it('exits 1 with a single CRITICAL line naming the bad variable when the settings are invalid', async () => {
    const service = startService({ TRANSPORT: 'grpc', SHUTDOWN_BUDGET_MS: '20000' });
    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(service.logs).toHaveLength(1);
    expect(service.logs[0]).toMatchObject({ severity: 'CRITICAL', stage: 'settings' });
    expect(String(service.logs[0]?.['message'])).toContain('TRANSPORT: expected pull or push, got "grpc"');
    expect(String(service.logs[0]?.['message'])).toContain('SHUTDOWN_BUDGET_MS');
  });

  it('exits 1 when its subscription does not exist', async () => {
    const service = startService({ SUBSCRIPTION: 'echo.missing' });
    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(logged(service, 'subscription echo.missing is unusable; stopping')).toMatchObject({
      severity: 'CRITICAL',
    });
  });
});
