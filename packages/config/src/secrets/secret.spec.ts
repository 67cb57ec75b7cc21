import { describe, expect, it } from '@jest/globals';
import { format, inspect } from 'node:util';

import { Secret } from './secret.js';

describe('Secret', () => {
  const secret = new Secret('SFTP_PASSWORD', 's3cr3t-value');

  it('reveals its value only on request', () => {
    expect(secret.reveal()).toBe('s3cr3t-value');
    expect(secret.source).toBe('SFTP_PASSWORD');
  });

  it.each([
    ['JSON.stringify', () => JSON.stringify({ password: secret })],
    ['String()', () => String(secret)],
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- the misuse under test
    ['a template literal', () => `${secret}`],
    ['util.inspect', () => inspect({ nested: { secret } }, { depth: 5, showHidden: true })],
    ['util.format %o', () => format('%o', secret)],
    // eslint-disable-next-line @typescript-eslint/restrict-plus-operands -- the misuse under test
    ['concatenation', () => 'pw=' + secret],
  ])('is redacted by %s', (_name, render) => {
    const text = render();
    expect(text).not.toContain('s3cr3t-value');
    expect(text).toContain('[redacted]');
  });
});
