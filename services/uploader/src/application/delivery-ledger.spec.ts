import { describe, expect, it } from '@jest/globals';

import { InMemoryBlobStore } from '@bq-sftp-export/cloud/testing';
import { createLogger, LogCapture } from '@bq-sftp-export/runtime';

import { ledgerKeyOf, ledgerObjectNames } from '../domain/ledger-key.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { stageFile, stagingBucket } from './testing/deliver-file-kit.js';

function setup(claimTtlMs = 60_000) {
  const blobs = new InMemoryBlobStore();
  const clock = { time: Date.parse('2026-11-26T05:00:00Z'), now: () => new Date(clock.time) };
  const logger = createLogger({ level: 'fatal', name: 'ledger-test', destination: new LogCapture() });
  const ledger = new DeliveryLedger(blobs, clock, logger, { claimTtlMs });
  const file = stageFile(blobs, 'id\n1\n');
  const claimRef = { bucket: stagingBucket, name: ledgerObjectNames(ledgerKeyOf(file)).claim };
  return { blobs, clock, ledger, file, claimRef };
}

describe('DeliveryLedger claims', () => {
  it('keep a second holder out until the first releases or its claim expires', async () => {
    const { clock, ledger, file } = setup();
    const first = await ledger.claim(file, 'one');
    expect(first).toBeDefined();
    expect(await ledger.claim(file, 'two')).toBeUndefined();

    clock.time += 60_001; // the first holder died without releasing
    const second = await ledger.claim(file, 'two');
    expect(second).toBeDefined();
    expect(await ledger.claim(file, 'three')).toBeUndefined();

    await second?.release();
    expect(await ledger.claim(file, 'three')).toBeDefined();
  });

  it('renew themselves while the work runs', async () => {
    const { blobs, ledger, file, claimRef } = setup(60);
    const claim = await ledger.claim(file, 'one');
    const before = (await blobs.readJson(claimRef))?.generation;

    await claim?.whileHeld(
      new AbortController().signal,
      () => new Promise((resolve) => setTimeout(resolve, 150)),
    );

    expect((await blobs.readJson(claimRef))?.generation).not.toBe(before);
  });

  it('abort the work when another holder took the claim over', async () => {
    const { blobs, ledger, file, claimRef } = setup(60);
    const claim = await ledger.claim(file, 'one');
    const stored = await blobs.readJson(claimRef);
    await blobs.writeJson(claimRef, { schemaVersion: 1, holder: 'thief' }, stored?.generation ?? '0');

    const reason = await claim?.whileHeld(
      new AbortController().signal,
      (signal) =>
        new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason as unknown))),
    );

    expect(reason).toMatchObject({ code: 'DELIVERY_CLAIM_LOST', retryable: true });
  });
});
