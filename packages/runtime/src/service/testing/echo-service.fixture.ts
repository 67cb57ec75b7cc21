// A tiny message service for run-message-service.int.spec.ts, run as a real child process with
// Node's type stripping (so: no decorators, no enums). It loads the compiled runtime from
// RUNTIME_ENTRY (built by the test), as a service's main.ts loads the package's dist.
import { PubSub } from '@google-cloud/pubsub';

import type * as RuntimeExports from '../../index.js';

type Runtime = typeof RuntimeExports;

const runtime = (await import(process.env['RUNTIME_ENTRY'] ?? '')) as Runtime;
const { Outcome, runMessageService } = runtime;

await runMessageService<string>({
  serviceName: 'echo-fixture',
  environment: process.env,
  consumes: { subscription: 'echo.work', deadLetterTopic: 'work.dead-letter' },
  decode: (data) => data.toString('utf8'),
  compose: ({ logger }) => {
    const pubsub = new PubSub({
      apiEndpoint: process.env['PUBSUB_EMULATOR_HOST'] ?? '',
      emulatorMode: true,
      projectId: 'service-test',
    });
    return {
      pubsub,
      handler: async (text, { signal }) => {
        if (text === 'slow') {
          // Ignores the abort signal: the runtime must abandon (nack) it when the budget ends.
          logger.info('slow handler started');
          await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
        }
        return signal.aborted ? Outcome.retry('stopping') : Outcome.ack();
      },
      close: () => pubsub.close(),
    };
  },
});
