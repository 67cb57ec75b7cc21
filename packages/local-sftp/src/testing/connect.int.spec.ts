import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'ssh2';
import ssh2 from 'ssh2';

import { generateEd25519KeyPair, sshFingerprint } from '../host-key/host-key.js';
import { connect, type SftpConformanceTarget } from './sftp-conformance.js';

describe('connect', () => {
  const hostKey = generateEd25519KeyPair().private;
  const connections = new Set<Connection>();
  const closed: Promise<void>[] = [];
  let server: ssh2.Server;
  let target: SftpConformanceTarget;

  beforeAll(async () => {
    // Accepts any login and the session, then never answers the SFTP subsystem request: what a
    // client sees from a server that cannot start SFTP after authentication.
    server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
      connections.add(client);
      closed.push(new Promise((resolve) => client.on('close', () => resolve())));
      client.on('close', () => connections.delete(client));
      client.on('error', () => undefined);
      client.on('authentication', (context) => context.accept());
      client.on('ready', () => client.on('session', (accept) => accept().on('sftp', () => undefined)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = {
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      username: 'partner',
      password: 'any',
      root: '/nonexistent',
      hostKeyFingerprint: sshFingerprint(hostKey),
      stop: () => Promise.resolve(),
    };
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const connection of connections) connection.end();
    });
  });

  it('gives up on a server that accepts the login but never starts SFTP, and closes the connection', async () => {
    await expect(connect(target, { timeoutMs: 1_000 })).rejects.toThrow(/took over 1000 ms/);
    expect(closed).toHaveLength(1);
    await Promise.all(closed);
    expect(connections.size).toBe(0);
  });
});
