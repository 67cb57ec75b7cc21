#!/usr/bin/env node
// `local-gcs [--port N] [--host H] [--directory DIR]`: starts the embedded Cloud Storage server
// and prints the environment a service needs to reach it. Stops on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';

import { startLocalGcs } from './start-local-gcs.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      directory: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${values.port}`);
  const gcs = await startLocalGcs({
    port,
    host: values.host,
    ...(values.directory === undefined ? {} : { directory: values.directory }),
  });
  process.stdout.write(`STORAGE_EMULATOR_HOST=${gcs.endpoint}\nLOCAL_GCS_ENDPOINT=${gcs.endpoint}\n`);
  const stop = (): void => {
    void gcs.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`local-gcs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
