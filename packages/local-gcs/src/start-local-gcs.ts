import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

import { createRouter } from './api/router.js';
import { ResumableSessions } from './api/resumable-sessions.js';
import { DirectoryBackend } from './backend/directory-backend.js';
import { MemoryBackend } from './backend/memory-backend.js';
import { Catalog } from './model/catalog.js';

export interface LocalGcsOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to bind; default 127.0.0.1. */
  readonly host?: string;
  /** Keep buckets and objects in this directory (survives restarts); absent = in memory. */
  readonly directory?: string;
}

/** An object as the inspection helpers report it. */
export interface LocalGcsObject {
  readonly bucket: string;
  readonly name: string;
  readonly generation: string;
  readonly metageneration: string;
  readonly size: number;
  readonly crc32c: string;
  readonly md5Hash: string;
  readonly contentType: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface LocalGcs {
  /** `http://host:port`, for the client's `apiEndpoint`. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Forgets every bucket, object and upload session. */
  reset(): Promise<void>;
  /** Bucket names, sorted. */
  listBuckets(): string[];
  /** Live objects of a bucket, sorted by name, with their generations. */
  listObjects(bucket: string): LocalGcsObject[];
  /** The bytes of an object's live generation (for tests: reads it whole into memory). */
  readObject(bucket: string, name: string): Promise<Buffer>;
  /**
   * Fault control: when the next write of `bucket/name` (upload or copy) arrives, `concurrently`
   * runs before that write's preconditions are checked, so whatever it writes wins the race and
   * a conditional write fails with 412. Resolves once it has run (rejects with its error; the
   * held write goes on either way).
   */
  beforeNextWrite(bucket: string, name: string, concurrently: () => Promise<void>): Promise<void>;
}

/** Starts the embedded Cloud Storage JSON API server. */
export async function startLocalGcs(options: LocalGcsOptions = {}): Promise<LocalGcs> {
  const backend =
    options.directory === undefined ? new MemoryBackend() : new DirectoryBackend(options.directory);
  const catalog = new Catalog(backend);
  await catalog.load();
  const sessions = new ResumableSessions(catalog);
  // No overall request deadline: a multi-gigabyte upload may legitimately take minutes.
  const server = createServer({ requestTimeout: 0 }, createRouter(catalog, sessions));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpointHost = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${endpointHost}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    reset: async () => {
      await sessions.clear();
      await catalog.reset();
    },
    listBuckets: () => catalog.buckets().map((bucket) => bucket.name),
    listObjects: (bucket) =>
      catalog.objects(bucket).map((object) => ({
        bucket: object.bucket,
        name: object.name,
        generation: String(object.generation),
        metageneration: String(object.metageneration),
        size: object.size,
        crc32c: object.crc32c,
        md5Hash: object.md5Hash,
        contentType: object.contentType,
        metadata: object.metadata ?? {},
      })),
    readObject: (bucket, name) => buffer(backend.openRead(catalog.object(bucket, name).blobId)),
    beforeNextWrite: (bucket, name, concurrently) => {
      const ran = new Promise<void>((resolve, reject) => {
        catalog.beforeNextWrite(bucket, name, () => concurrently().then(resolve, reject));
      });
      // Awaited by the caller later, possibly after it failed: not an unhandled rejection.
      ran.catch(() => undefined);
      return ran;
    },
  };
}
