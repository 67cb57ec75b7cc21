import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

import { PGP_KEY_INVALID } from '@bq-sftp-export/pgp';
import type { AppError } from '@bq-sftp-export/runtime';
import { startOpenSshServer, type OpenSshServer } from '@bq-sftp-export/testing';
import { decrypt, generateKey, readKey, readMessage, readPrivateKey, type PrivateKey } from 'openpgp';

import type { PgpEncryption } from '../../domain/sftp-destination.js';
import { SftpFileTransfer } from '../sftp/sftp-file-transfer.adapter.js';
import { destinationFor, recordingLogger } from '../sftp/testing/sftp-test-kit.js';
import { PgpFileTransfer } from './pgp-file-transfer.js';

interface Party {
  readonly publicKey: string;
  readonly privateKey: string;
}

async function party(name: string, passphrase?: string): Promise<Party> {
  const { publicKey, privateKey } = await generateKey({
    type: 'curve25519',
    userIDs: [{ name, email: `${name}@example.test` }],
    ...(passphrase === undefined ? {} : { passphrase }),
    format: 'armored',
  });
  return { publicKey, privateKey };
}

async function unlocked(armoredKey: string, passphrase?: string): Promise<PrivateKey> {
  const key = await readPrivateKey({ armoredKey });
  if (passphrase === undefined) return key;
  const { decryptKey } = await import('openpgp');
  return decryptKey({ privateKey: key, passphrase });
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('PgpFileTransfer → SftpFileTransfer against a real OpenSSH server', () => {
  let server: OpenSshServer;
  let partnerA: Party;
  let partnerB: Party;
  let ours: Party;
  let seq = 0;

  beforeAll(async () => {
    [server, partnerA, partnerB, ours] = await Promise.all([
      startOpenSshServer(),
      party('partner-a'),
      party('partner-b'),
      party('us', 'signing-passphrase'),
    ]);
  });
  afterAll(async () => {
    await server.stop();
  });

  async function deliver(encryption: PgpEncryption, content: Buffer, fileName = 'data.csv') {
    seq += 1;
    const dir = path.join(server.root, `pgp${seq}`);
    await mkdir(dir);
    await chmod(dir, 0o777);
    const transfer = new PgpFileTransfer(new SftpFileTransfer(recordingLogger()));
    const result = await transfer
      .upload({
        destination: destinationFor(server, { path: dir, encryption }),
        fileName,
        source: Readable.from([content.subarray(0, 1000), content.subarray(1000)]),
        expectedBytes: content.length,
        expectedSha256: sha256(content),
      })
      .catch((error: unknown) => error as AppError);
    return { dir, result, files: await readdir(dir) };
  }

  const encryption = (overrides: Partial<PgpEncryption> = {}): PgpEncryption => ({
    recipients: [{ field: 'destinations.p.pgp.recipients[0].public_key', armoredKey: partnerA.publicKey }],
    armor: false,
    fileSuffix: '.pgp',
    ...overrides,
  });

  it('delivers a binary message under name + suffix that each recipient decrypts to the source bytes, signed', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 17);
    const { dir, result, files } = await deliver(
      encryption({
        recipients: [
          { field: 'r[0]', armoredKey: partnerA.publicKey },
          { field: 'r[1]', armoredKey: partnerB.publicKey },
        ],
        signing: { field: 's', privateKey: ours.privateKey, passphrase: 'signing-passphrase' },
      }),
      content,
    );
    expect(files).toEqual(['data.csv.pgp']);
    expect(result).toMatchObject({ outcome: 'uploaded', remotePath: `${dir}/data.csv.pgp` });
    const delivered = await readFile(path.join(dir, 'data.csv.pgp'));
    expect(delivered.subarray(0, 20).includes(Buffer.from('-----BEGIN'))).toBe(false);
    for (const partner of [partnerA, partnerB]) {
      const { data, signatures } = await decrypt({
        message: await readMessage({ binaryMessage: delivered }),
        decryptionKeys: await unlocked(partner.privateKey),
        verificationKeys: await readKey({ armoredKey: ours.publicKey }),
        expectSigned: true,
        format: 'binary',
      });
      expect(Buffer.from(data).equals(content)).toBe(true);
      expect(await signatures[0]!.verified).toBe(true);
    }
  });

  it('delivers an armored message the partner decrypts', async () => {
    const content = Buffer.from('id,name\n1,alpha\n2,beta\n'.repeat(500));
    const { dir, files } = await deliver(encryption({ armor: true, fileSuffix: '.asc' }), content);
    expect(files).toEqual(['data.csv.asc']);
    const armored = await readFile(path.join(dir, 'data.csv.asc'), 'utf8');
    expect(armored.startsWith('-----BEGIN PGP MESSAGE-----')).toBe(true);
    const { data } = await decrypt({
      message: await readMessage({ armoredMessage: armored }),
      decryptionKeys: await unlocked(partnerA.privateKey),
      format: 'binary',
    });
    expect(Buffer.from(data).equals(content)).toBe(true);
  });

  it('refuses a private key given as a recipient, naming the field and not the key, and writes nothing', async () => {
    const { result, files } = await deliver(
      encryption({
        recipients: [
          { field: 'destinations.p.pgp.recipients[0].public_key', armoredKey: partnerA.privateKey },
        ],
      }),
      Buffer.from('x'),
    );
    expect(result).toMatchObject({ code: PGP_KEY_INVALID, retryable: false });
    expect((result as AppError).message).toMatch(
      /^destinations\.p\.pgp\.recipients\[0\]\.public_key: holds a private key/,
    );
    expect((result as AppError).message).not.toMatch(/BEGIN/);
    expect(files).toEqual([]);
  });

  it("refuses a malformed key and an expired key, naming the field and the expired key's fingerprint", async () => {
    const malformed = await deliver(
      encryption({
        recipients: [
          {
            field: 'f.bad',
            armoredKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\nnope\n-----END PGP PUBLIC KEY BLOCK-----',
          },
        ],
      }),
      Buffer.from('x'),
    );
    expect(malformed.result).toMatchObject({
      code: PGP_KEY_INVALID,
      message: 'f.bad: not a readable armored OpenPGP public key',
    });
    expect(malformed.files).toEqual([]);

    const { publicKey } = await generateKey({
      type: 'curve25519',
      userIDs: [{ email: 'old@example.test' }],
      date: new Date(Date.now() - 3600_000),
      keyExpirationTime: 60,
      format: 'armored',
    });
    const fingerprint = (await readKey({ armoredKey: publicKey })).getFingerprint().toUpperCase();
    const expired = await deliver(
      encryption({ recipients: [{ field: 'f.old', armoredKey: publicKey }] }),
      Buffer.from('x'),
    );
    expect(expired.result).toMatchObject({ code: PGP_KEY_INVALID });
    expect((expired.result as AppError).message).toContain(
      `f.old: key ${fingerprint} (<old@example.test>) expired`,
    );
    expect(expired.files).toEqual([]);
  });

  it('refuses a signing key whose passphrase is wrong', async () => {
    const { result, files } = await deliver(
      encryption({ signing: { field: 'f.sign', privateKey: ours.privateKey, passphrase: 'wrong' } }),
      Buffer.from('x'),
    );
    expect(result).toMatchObject({ code: PGP_KEY_INVALID });
    expect((result as AppError).message).toMatch(
      /^f\.sign: key [0-9A-F]{40} \(us <us@example\.test>\): the passphrase/,
    );
    expect(files).toEqual([]);
  });

  it('fails a plaintext that is not the announced content before the rename: no file is left visible', async () => {
    seq += 1;
    const dir = path.join(server.root, `pgp${seq}`);
    await mkdir(dir);
    await chmod(dir, 0o777);
    const transfer = new PgpFileTransfer(new SftpFileTransfer(recordingLogger()));
    const error = await transfer
      .upload({
        destination: destinationFor(server, { path: dir, encryption: encryption() }),
        fileName: 'data.csv',
        source: Readable.from([Buffer.from('tampered')]),
        expectedBytes: 8,
        expectedSha256: sha256(Buffer.from('original')),
      })
      .catch((failure: unknown) => failure as AppError);
    expect(error).toMatchObject({ code: 'PGP_SOURCE_CHECKSUM_MISMATCH', retryable: false });
    expect(await readdir(dir)).toEqual([]);
  });
});
