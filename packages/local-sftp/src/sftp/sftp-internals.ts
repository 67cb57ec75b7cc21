import type { SFTPWrapper } from 'ssh2';

/**
 * The parts of ssh2's SFTP stream this package reaches into: they are not in its public API,
 * but ssh2's server mode offers no other way to send what OpenSSH's sftp-server sends. Pinned
 * to ssh2 1.17; the conformance suite fails loudly if a new version moves them.
 */
export interface SftpInternals {
  _protocol: { channelData(channelId: number, data: Buffer): void };
  _buffer: unknown[];
  outgoing: { id: number; state: string; window: number; packetSize: number };
}

export function internalsOf(sftp: SFTPWrapper): SftpInternals {
  return sftp as unknown as SftpInternals;
}

export const SSH_FXP_VERSION = 2;
const SSH_FXP_EXTENDED_REPLY = 201;

/**
 * Sends an SSH_FXP_EXTENDED_REPLY, which ssh2's server mode has no method for. Only sends when
 * it can go out at once and in order (nothing queued, window open); returns false otherwise so
 * the caller can answer with a status instead.
 */
export function sendExtendedReply(sftp: SFTPWrapper, reqId: number, payload: Buffer): boolean {
  const internals = internalsOf(sftp);
  const packet = Buffer.alloc(4 + 1 + 4 + payload.length);
  packet.writeUInt32BE(packet.length - 4, 0);
  packet[4] = SSH_FXP_EXTENDED_REPLY;
  packet.writeUInt32BE(reqId, 5);
  payload.copy(packet, 9);
  const { outgoing } = internals;
  const canSend =
    outgoing.state === 'open' &&
    internals._buffer.length === 0 &&
    outgoing.window >= packet.length &&
    outgoing.packetSize >= packet.length;
  if (!canSend) return false;
  outgoing.window -= packet.length;
  internals._protocol.channelData(outgoing.id, packet);
  return true;
}
