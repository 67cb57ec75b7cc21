import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { PubSub } from '@google-cloud/pubsub';
import { startLocalPubSub, type LocalPubSub } from '../local-pubsub.js';

/** The gcloud convention: only PUBSUB_EMULATOR_HOST is set; the client must not try Google auth. */
let server: LocalPubSub;
const saved = {
  host: process.env['PUBSUB_EMULATOR_HOST'],
  credentials: process.env['GOOGLE_APPLICATION_CREDENTIALS'],
};

beforeAll(async () => {
  server = await startLocalPubSub();
});
afterAll(async () => {
  for (const [key, value] of [
    ['PUBSUB_EMULATOR_HOST', saved.host],
    ['GOOGLE_APPLICATION_CREDENTIALS', saved.credentials],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await server.stop();
});

it('works through PUBSUB_EMULATOR_HOST alone, with credentials that would fail if used', async () => {
  process.env['PUBSUB_EMULATOR_HOST'] = server.emulatorHost;
  process.env['GOOGLE_APPLICATION_CREDENTIALS'] = '/nonexistent/credentials.json';
  const pubsub = new PubSub({ projectId: 'env-project' });
  try {
    expect(pubsub.isEmulator).toBe(true);
    const [topic] = await pubsub.createTopic('via-env');
    const id = await topic.publishMessage({ data: Buffer.from('x') });
    expect(server.published('projects/env-project/topics/via-env').map((m) => m.id)).toEqual([id]);
  } finally {
    await pubsub.close();
  }
});
