import { describe, expect, it } from '@jest/globals';

import type { FileReady } from '@bq-sftp-export/contracts';

import { ledgerKeyOf, ledgerObjectNames, recordNameFor } from './ledger-key.js';

const sha256 = 'ab'.repeat(32);
const file = {
  configName: 'default',
  exportName: 'shopify_customers',
  runId: 'run-1',
  fileName: 'X_20261126.csv',
  sha256,
  eventId: '9a1c3e5e-2b4d-5f60-8a71-0c2d3e4f5a6b',
} as FileReady;

describe('ledger object names', () => {
  it('key the delivery on (config, export, run, file name, sha256)', () => {
    const names = ledgerObjectNames(ledgerKeyOf(file));
    expect(names.delivery).toBe(`ledger/default/shopify_customers/run-1/X_20261126.csv/${sha256}.json`);
    expect(names.resend('r-1')).toBe(
      `ledger/default/shopify_customers/run-1/X_20261126.csv/${sha256}/resends/r-1.json`,
    );
    expect(names.claim).toBe(`ledger/default/shopify_customers/run-1/X_20261126.csv/${sha256}.claim.json`);
  });

  it('differ when any part of the key differs, and never by event id', () => {
    const base = recordNameFor(file);
    expect(recordNameFor({ ...file, eventId: '1b2c3d4e-5f60-5a71-8b82-9c93a4b5c6d7' })).toBe(base);
    for (const change of [
      { configName: 'other' },
      { exportName: 'other' },
      { runId: 'run-2' },
      { fileName: 'Y.csv' },
      { sha256: 'cd'.repeat(32) },
    ]) {
      expect(recordNameFor({ ...file, ...change })).not.toBe(base);
    }
  });

  it("checks a resend against the resend's own record", () => {
    expect(recordNameFor({ ...file, resendId: 'r-9', resendOf: file.eventId })).toBe(
      ledgerObjectNames(ledgerKeyOf(file)).resend('r-9'),
    );
  });
});
