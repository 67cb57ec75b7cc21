#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startLocalPubSub } from './local-pubsub.js';

const usage = `usage: local-pubsub [--port N] [--host ADDRESS] [--min-deadline-seconds N]

Starts the embedded Pub/Sub server and prints the environment a client needs.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8085' },
      host: { type: 'string', default: '127.0.0.1' },
      'min-deadline-seconds': { type: 'string', default: '10' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const server = await startLocalPubSub({
    port: Number(values.port),
    host: values.host,
    minDeadlineSeconds: Number(values['min-deadline-seconds']),
  });
  process.stdout.write(`PUBSUB_EMULATOR_HOST=${server.emulatorHost}\n`);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`local-pubsub: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(1);
});
