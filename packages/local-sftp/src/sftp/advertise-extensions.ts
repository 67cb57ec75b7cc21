import type { SFTPWrapper } from 'ssh2';
import { internalsOf, SSH_FXP_VERSION } from './sftp-internals.js';

/**
 * Makes the server's VERSION packet list `extensions`, as OpenSSH's sftp-server does, so clients
 * detect them (ssh2's client enables `posix-rename@openssh.com` only when advertised). ssh2's
 * server mode always answers INIT with a bare version-3 packet and offers no hook, so this swaps
 * that one outgoing packet: it wraps the stream's transport until the VERSION packet passes
 * through, then puts the original back. Call it right after accepting the SFTP channel, before
 * the client's INIT arrives.
 */
export function advertiseExtensions(sftp: SFTPWrapper, extensions: Readonly<Record<string, string>>): void {
  const internals = internalsOf(sftp);
  const transport = internals._protocol;
  const version = versionPacket(extensions);
  const wrapped = new Proxy(transport, {
    get(target, property) {
      if (property === 'channelData') {
        return (channelId: number, data: Buffer) => {
          internals._protocol = transport;
          if (isBareVersion(data) && internals.outgoing.window >= version.length - data.length) {
            internals.outgoing.window -= version.length - data.length;
            transport.channelData(channelId, version);
          } else {
            transport.channelData(channelId, data);
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  internals._protocol = wrapped;
}

function isBareVersion(data: Buffer): boolean {
  return data.length === 9 && data.readUInt32BE(0) === 5 && data[4] === SSH_FXP_VERSION;
}

function versionPacket(extensions: Readonly<Record<string, string>>): Buffer {
  const parts: Buffer[] = [Buffer.from([SSH_FXP_VERSION, 0, 0, 0, 3])];
  for (const [name, data] of Object.entries(extensions)) parts.push(sshString(name), sshString(data));
  const body = Buffer.concat(parts);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function sshString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
