import { describe, expect, it } from '@jest/globals';

import { MessageCatalog } from '../catalog/message-catalog.js';
import { Topics, Topology, topologyOf } from './topology.js';

describe('Topology', () => {
  it('lists each topic once, with its consumer, subscription and dead letters', () => {
    expect(Topology.map((entry) => entry.topic)).toEqual(['export-requests', 'file-ready', 'export-events']);
    expect(topologyOf(Topics.fileReady)).toEqual({
      topic: 'file-ready',
      messageKind: 'file.ready',
      consumer: 'uploader',
      subscription: 'uploader.file-ready',
      deadLetterTopic: 'file-ready.dead-letter',
      deadLetterSubscription: 'ops.file-ready.dead-letter',
      maxDeliveryAttempts: 10,
    });
    for (const entry of Topology) expect(entry.maxDeliveryAttempts).toBeGreaterThanOrEqual(5);
  });

  it('agrees with the message catalog on which kind travels on which topic', () => {
    for (const entry of Topology) expect(MessageCatalog[entry.messageKind].topic).toBe(entry.topic);
  });

  it('uses only names Pub/Sub accepts', () => {
    const names = Topology.flatMap((entry) => [
      entry.topic,
      entry.subscription,
      entry.deadLetterTopic,
      entry.deadLetterSubscription,
    ]);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^(?!goog)[A-Za-z][A-Za-z0-9._~%+-]{2,254}$/);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(Topology)).toBe(true);
    expect(Object.isFrozen(Topology[0])).toBe(true);
  });
});
