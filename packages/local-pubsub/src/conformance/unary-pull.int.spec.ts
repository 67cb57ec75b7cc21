import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { v1 } from '@google-cloud/pubsub';
import { pollUntil } from '@bq-sftp-export/testing';
import { codeOfPromise } from '../testing/status-code.js';
import { PROJECT, startHarness, WAIT, type Harness } from '../testing/harness.js';

/** Unary Pull, Acknowledge and ModifyAckDeadline through the client's generated v1 SubscriberClient. */
let h: Harness;
let client: v1.SubscriberClient;
const subscription = `projects/${PROJECT}/subscriptions/unary-sub`;

beforeAll(async () => {
  h = await startHarness();
  client = new v1.SubscriberClient(
    (await h.pubsub.getClientConfig()) as ConstructorParameters<typeof v1.SubscriberClient>[0],
  );
});
afterAll(async () => {
  await client.close();
  await h.close();
});
beforeEach(() => h.server.reset());

async function pull(max = 10) {
  const [response] = await client.pull({ subscription, maxMessages: max });
  return response.receivedMessages ?? [];
}

describe('unary pull and raw streams through the generated v1 client', () => {
  it('pulls, acknowledges, and pulls nothing more', async () => {
    const [topic] = await h.pubsub.createTopic('unary');
    await topic.createSubscription('unary-sub');
    await topic.publishMessage({ data: Buffer.from('one'), attributes: { n: '1' } });
    await topic.publishMessage({ data: Buffer.from('two') });

    const first = await pull(1);
    expect(first).toHaveLength(1);
    expect(Buffer.from(first[0]!.message!.data as Uint8Array).toString()).toBe('one');
    expect(first[0]!.message!.attributes).toEqual({ n: '1' });
    const second = await pull();
    expect(second.map((r) => Buffer.from(r.message!.data as Uint8Array).toString())).toEqual(['two']);

    await client.acknowledge({ subscription, ackIds: [first[0]!.ackId!, second[0]!.ackId!] });
    expect(await pull()).toEqual([]);
    expect(h.server.outstanding('unary-sub')).toEqual([]);
  });

  it('redelivers after the ack deadline, and a modack extends or (with 0) ends the lease', async () => {
    const [topic] = await h.pubsub.createTopic('unary');
    const [dead] = await h.pubsub.createTopic('unary-dead');
    await topic.createSubscription('unary-sub', {
      ackDeadlineSeconds: 1,
      deadLetterPolicy: { deadLetterTopic: dead.name },
    });
    await topic.publishMessage({ data: Buffer.from('lease') });

    const [leased] = await pull();
    expect(leased!.deliveryAttempt).toBe(1);
    await client.modifyAckDeadline({ subscription, ackIds: [leased!.ackId!], ackDeadlineSeconds: 600 });
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(await pull()).toEqual([]);
    expect(h.server.outstanding('unary-sub')).toEqual([
      expect.objectContaining({ leased: true, deliveryAttempts: 1 }),
    ]);

    await client.modifyAckDeadline({ subscription, ackIds: [leased!.ackId!], ackDeadlineSeconds: 0 });
    const [again] = await pull();
    expect(again!.deliveryAttempt).toBe(2);
    expect(again!.message!.messageId).toBe(leased!.message!.messageId);

    // Not acknowledged: after the 1 s deadline it comes back once more.
    await pollUntil(() => (h.server.outstanding('unary-sub')[0]?.leased === false ? true : undefined), {
      describe: 'expiry',
      ...WAIT,
    });
    const [third] = await pull();
    expect(third!.deliveryAttempt).toBe(3);
  });

  it('answers keep-alives on a raw StreamingPull stream and takes acks and modacks on it', async () => {
    const [topic] = await h.pubsub.createTopic('unary');
    await topic.createSubscription('unary-sub');
    const stream = client.streamingPull();
    const responses: { receivedMessages?: { ackId?: string | null }[] | null }[] = [];
    stream.on('data', (response: (typeof responses)[number]) => responses.push(response));
    stream.on('error', () => undefined);
    stream.write({ subscription, streamAckDeadlineSeconds: 10, protocolVersion: 1 });
    await topic.publishMessage({ data: Buffer.from('a') });
    await topic.publishMessage({ data: Buffer.from('b') });
    const ackIds = await pollUntil(
      () => {
        const ids = responses.flatMap((r) => r.receivedMessages ?? []).map((m) => m.ackId!);
        return ids.length === 2 ? ids : undefined;
      },
      { describe: 'two messages', ...WAIT },
    );
    const before = responses.length;
    stream.write({});
    await pollUntil(() => (responses.length > before ? true : undefined), {
      describe: 'keep-alive answer',
      ...WAIT,
    });
    expect(responses[before]!.receivedMessages ?? []).toEqual([]);

    stream.write({ ackIds: [ackIds[0]!], modifyDeadlineAckIds: [ackIds[1]!], modifyDeadlineSeconds: [0] });
    const redelivered = await pollUntil(
      () => responses.slice(before + 1).find((r) => (r.receivedMessages ?? []).length > 0),
      { describe: 'nacked message again', ...WAIT },
    );
    expect(redelivered.receivedMessages).toHaveLength(1);
    expect(h.server.outstanding('unary-sub').map((m) => m.data.toString())).toEqual(['b']);
    stream.end();
    stream.cancel();
  });

  it('rejects out-of-range deadlines and unknown subscriptions', async () => {
    const [topic] = await h.pubsub.createTopic('unary');
    await topic.createSubscription('unary-sub');
    expect(
      await codeOfPromise(client.modifyAckDeadline({ subscription, ackIds: ['x'], ackDeadlineSeconds: 601 })),
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      await codeOfPromise(
        client.pull({ subscription: `projects/${PROJECT}/subscriptions/nope`, maxMessages: 1 }),
      ),
    ).toBe(status.NOT_FOUND);
    expect(await codeOfPromise(client.pull({ subscription, maxMessages: 0 }))).toBe(status.INVALID_ARGUMENT);
  });
});
