import { describe, expect, it } from '@jest/globals';

import { secretEnvironment, validateExportConfig } from '@bq-sftp-export/config';
import { generateKey } from 'openpgp';

import { checkPgpKeys } from './check-pgp-keys.js';

const HOUR = 3600_000;

/** A config whose `partner` destination encrypts with `pgp` and whose `spare` one is unused. */
function configWith(pgp: Record<string, unknown>, spare: Record<string, unknown> = {}) {
  const destination = (extra: Record<string, unknown>) => ({
    host: 'sftp.example.test',
    username: 'u',
    auth: { method: 'password', password_env: 'P' },
    path: '/in',
    ...extra,
  });
  return validateExportConfig(
    {
      metadata_table: 'ops.history',
      destinations: { partner: destination({ pgp }), spare: destination(spare) },
      exports: [
        {
          name: 'e',
          source_table: 'ds.t',
          destination_filename: 'E.csv',
          columns: ['id'],
          destination: 'partner',
        },
      ],
    },
    'c',
  );
}

describe('checkPgpKeys', () => {
  it('passes usable keys, inline or from a variable, and a signing key its passphrase unlocks', async () => {
    const partner = await generateKey({ type: 'curve25519', userIDs: [{ email: 'p@example.test' }] });
    const ours = await generateKey({
      type: 'curve25519',
      userIDs: [{ email: 'o@example.test' }],
      passphrase: 'pw',
    });
    const config = configWith({
      recipients: [{ public_key: partner.publicKey }, { public_key_env: 'PARTNER_KEY' }],
      sign: { private_key_env: 'OUR_KEY', passphrase_env: 'OUR_PASS' },
    });
    const secrets = secretEnvironment({
      PARTNER_KEY: partner.publicKey,
      OUR_KEY: ours.privateKey,
      OUR_PASS: 'pw',
    });
    expect(await checkPgpKeys(config, secrets)).toEqual({ problems: [], unchecked: [] });
  });

  it('reports every bad key with its field, and keys in unset variables as unchecked', async () => {
    const expired = await generateKey({
      type: 'curve25519',
      userIDs: [{ email: 'old@example.test' }],
      date: new Date(Date.now() - 2 * HOUR),
      keyExpirationTime: 60,
    });
    const ours = await generateKey({
      type: 'curve25519',
      userIDs: [{ email: 'o@example.test' }],
      passphrase: 'pw',
    });
    const config = configWith({
      recipients: [
        { public_key: expired.publicKey },
        { public_key_env: 'GARBLED' },
        { public_key_env: 'UNSET' },
      ],
      sign: { private_key_env: 'OUR_KEY', passphrase_env: 'OUR_PASS' },
    });
    const secrets = secretEnvironment({ GARBLED: 'not a key', OUR_KEY: ours.privateKey, OUR_PASS: 'wrong' });
    const { problems, unchecked } = await checkPgpKeys(config, secrets);
    expect(problems).toEqual([
      {
        path: 'destinations.partner.pgp.recipients[0].public_key',
        message: expect.stringMatching(/ expired on /),
      },
      {
        path: 'destinations.partner.pgp.recipients[1].public_key_env',
        message: 'not a readable armored OpenPGP public key',
      },
      {
        path: 'destinations.partner.pgp.sign.private_key_env',
        message: expect.stringMatching(/the passphrase does not unlock it$/),
      },
    ]);
    expect(unchecked).toEqual([
      { path: 'destinations.partner.pgp.recipients[2].public_key_env', variable: 'UNSET' },
    ]);
    expect(JSON.stringify(problems)).not.toContain('wrong');
  });

  it('leaves destinations no export uses alone, and a signing key whose passphrase is unset unchecked', async () => {
    const config = configWith(
      {
        recipients: [{ public_key_env: 'K' }],
        sign: { private_key_env: 'OUR_KEY', passphrase_env: 'OUR_PASS' },
      },
      { pgp: { recipients: [{ public_key_env: 'SPARE_KEY' }] } },
    );
    const partner = await generateKey({ type: 'curve25519', userIDs: [{ email: 'p@example.test' }] });
    const result = await checkPgpKeys(
      config,
      secretEnvironment({ K: partner.publicKey, OUR_KEY: 'x', SPARE_KEY: 'y' }),
    );
    expect(result).toEqual({
      problems: [],
      unchecked: [{ path: 'destinations.partner.pgp.sign.private_key_env', variable: 'OUR_PASS' }],
    });
  });
});
