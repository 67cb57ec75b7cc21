import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateEd25519KeyPair, sshFingerprint } from '../host-key/host-key.js';
import { connect } from '../testing/sftp-conformance.js';
import { parseCli, runCli } from './local-sftp-cli.js';

describe('local-sftp command line', () => {
  let base: string;
  const userKey = generateEd25519KeyPair();

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'local-sftp-cli-'));
    await writeFile(path.join(base, 'partner.pub'), userKey.public);
  });

  afterAll(() => rm(base, { recursive: true, force: true }));

  it('reads users, keys and the persisted host key from the arguments', async () => {
    const argv = [
      '--root',
      'r',
      '--port',
      '2222',
      '--user',
      'a:p:w',
      '--user-key',
      `a:${path.join(base, 'partner.pub')}`,
    ];
    const options = await parseCli([...argv, '--host-key-file', path.join(base, 'host_key')]);
    expect(options).toMatchObject({ root: 'r', port: 2222, host: '127.0.0.1' });
    expect(options.users).toEqual([{ username: 'a', password: 'p:w', publicKeys: [userKey.public.trim()] }]);
    const again = await parseCli([...argv, '--host-key-file', path.join(base, 'host_key')]);
    expect(sshFingerprint(again.hostKey!)).toBe(sshFingerprint(options.hostKey!));
  });

  it.each([
    [[], '--root is required'],
    [['--root', 'r'], 'at least one --user'],
    [['--root', 'r', '--user', 'nopassword'], '--user expects <name>:<value>'],
    [['--root', 'r', '--user', 'a:b', '--port', '70000'], '--port must be 0-65535'],
  ])('refuses %j', async (argv, message) => {
    await expect(parseCli(argv)).rejects.toThrow(message);
  });

  it('starts a server a client can use with the printed host, port and fingerprint', async () => {
    const root = path.join(base, 'served');
    const lines: string[] = [];
    const server = await runCli(['--root', root, '--user', 'partner:pw'], (line) => lines.push(line));
    try {
      const printed = Object.fromEntries(lines.slice(1).map((line) => line.split('=') as [string, string]));
      expect(printed).toEqual({
        host: '127.0.0.1',
        port: String(server.port),
        fingerprint: server.hostKeyFingerprint,
      });
      const client = await connect({
        host: printed['host']!,
        port: Number(printed['port']),
        username: 'partner',
        password: 'pw',
        root,
        hostKeyFingerprint: printed['fingerprint']!,
        stop: () => Promise.resolve(),
      });
      await client.put(Buffer.from('hi'), '/hello.txt');
      await client.end();
      expect(await readFile(path.join(root, 'hello.txt'), 'utf8')).toBe('hi');
    } finally {
      await server.stop();
    }
  });
});
