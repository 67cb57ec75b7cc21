import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/** A cut (or stall) the proxy has been asked to make, and what the test saw at that moment. */
interface PendingCut {
  readonly afterBytes: number;
  /** Stop forwarding but keep both sides open (a hung server) instead of resetting them. */
  readonly stall: boolean;
  readonly beforeCut: () => Promise<void>;
  readonly done: (error?: Error) => void;
}

/**
 * A TCP proxy on 127.0.0.1 between the uploader and an SFTP server: the address the services
 * are given, so a test can swap the server behind it (a new host key) or cut a connection in
 * the middle of a file, as a flaky network or a restarting partner server would.
 */
export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  /** New connections go to this port on 127.0.0.1 (open ones keep theirs). */
  setUpstream(port: number): void;
  /**
   * Cuts the next connection that carries more than `afterBytes` bytes from the client: its
   * traffic stops there, `beforeCut` runs (the server has what was forwarded, nothing more),
   * then both sides are reset. Resolves once the cut is made.
   */
  cutOnceAfter(afterBytes: number, beforeCut?: () => Promise<void>): Promise<void>;
  /**
   * Closes the next `count` connections as soon as they are accepted, before the server says a
   * word (a server at its connection limit, a firewall in the way).
   */
  closeNextOnAccept(count: number): void;
  /**
   * Like `cutOnceAfter`, but the connection is left open with nothing forwarded either way: the
   * server seems to hang in the middle of the file. Resolves once the traffic has stopped.
   */
  stallOnceAfter(afterBytes: number): Promise<void>;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  let upstream = upstreamPort;
  let accepted = 0;
  let pending: PendingCut | undefined;
  let closeOnAccept = 0;
  const sockets = new Set<Socket>();

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };

  const server = createServer((client) => {
    accepted++;
    track(client);
    if (closeOnAccept > 0) {
      closeOnAccept--;
      client.end();
      return;
    }
    client.pause();
    const server = createConnection({ host: '127.0.0.1', port: upstream });
    track(server);
    // The partner's server is down: the client sees the connection reset, as from a dead host.
    server.once('error', () => client.resetAndDestroy());
    server.once('close', () => client.destroy());
    client.once('close', () => server.destroy());
    server.once('connect', () => {
      let forwarded = 0;
      server.pipe(client);
      client.on('data', (chunk: Buffer) => {
        const cut = pending;
        if (cut === undefined || forwarded + chunk.length <= cut.afterBytes) {
          forwarded += chunk.length;
          if (!server.write(chunk)) {
            client.pause();
            server.once('drain', () => client.resume());
          }
          return;
        }
        pending = undefined;
        client.pause();
        client.removeAllListeners('data');
        server.unpipe(client);
        const head = chunk.subarray(0, cut.afterBytes - forwarded);
        server.write(head, () => {
          if (cut.stall) {
            cut.done();
            return;
          }
          // Give the server a moment to write what it received, then let the test look.
          setTimeout(() => {
            cut
              .beforeCut()
              .then(
                () => cut.done(),
                (error: unknown) => cut.done(error instanceof Error ? error : new Error(String(error))),
              )
              .finally(() => {
                client.resetAndDestroy();
                server.resetAndDestroy();
              });
          }, 200);
        });
      });
      client.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    setUpstream: (next) => {
      upstream = next;
    },
    cutOnceAfter: (afterBytes, beforeCut = () => Promise.resolve()) =>
      new Promise<void>((resolve, reject) => {
        pending = {
          afterBytes,
          stall: false,
          beforeCut,
          done: (error) => (error === undefined ? resolve() : reject(error)),
        };
      }),
    stallOnceAfter: (afterBytes) =>
      new Promise<void>((resolve) => {
        pending = { afterBytes, stall: true, beforeCut: () => Promise.resolve(), done: () => resolve() };
      }),
    closeNextOnAccept: (count) => {
      closeOnAccept = count;
    },
    accepted: () => accepted,
    close: async () => {
      pending = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
