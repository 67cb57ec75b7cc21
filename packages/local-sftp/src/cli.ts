#!/usr/bin/env node
import { runCli, usage } from './cli/local-sftp-cli.js';

try {
  const server = await runCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
  const stop = (): void => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`local-sftp: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(2);
}
