import type { AddressInfo } from 'node:net';
import type { Connection } from 'ssh2';
import ssh2 from 'ssh2';
import { generateEd25519KeyPair, sshFingerprint } from '../host-key/host-key.js';
import { advertiseExtensions } from '../sftp/advertise-extensions.js';
import { Jail } from '../sftp/jail.js';
import { serveSftp } from '../sftp/sftp-session.js';
import { Authenticator } from './authenticate.js';
import type { LocalSftp, LocalSftpOptions } from './local-sftp-options.js';

/** Extensions listed in the VERSION packet, with OpenSSH's version strings. */
const EXTENSIONS = { 'posix-rename@openssh.com': '1', 'fsync@openssh.com': '1', 'limits@openssh.com': '1' };

/**
 * Starts an SFTP-only SSH server on loopback that serves `options.root` to the given users.
 * Shell, exec and port forwarding are refused; only the `sftp` subsystem is offered.
 */
export async function startLocalSftp(options: LocalSftpOptions): Promise<LocalSftp> {
  const jail = await Jail.open(options.root);
  const authenticator = new Authenticator(options.users);
  const hostKey = options.hostKey ?? generateEd25519KeyPair().private;
  const clients = new Set<Connection>();

  const server = new ssh2.Server({ hostKeys: [hostKey], ident: 'bq-sftp-export-local-sftp' }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    // A client that drops the connection is not the server's problem.
    client.on('error', () => undefined);
    client.on('authentication', (context) => authenticator.handle(context));
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          advertiseExtensions(sftp, EXTENSIONS);
          serveSftp(sftp, jail);
        });
      });
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    host,
    port: (server.address() as AddressInfo).port,
    hostKeyFingerprint: sshFingerprint(hostKey),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const client of clients) client.end();
      }),
  };
}
