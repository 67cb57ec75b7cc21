import { randomUUID } from 'node:crypto';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { BlobDraft } from '../backend/storage-backend.js';
import { ObjectHasher } from '../hashing/object-hasher.js';
import type { Catalog } from '../model/catalog.js';
import { gcsErrors } from '../model/gcs-error.js';
import type { Preconditions } from '../model/preconditions.js';
import type { ObjectMetadataFields, ObjectRecord } from '../model/records.js';
import { parseContentRange } from './content-range.js';
import type { GcsRequest } from './gcs-request.js';
import { drain, sendEmpty, sendJson } from './http-io.js';
import { objectResource } from './resources.js';
import { expectedDigest, verifyDigest, type ExpectedDigest } from './verify-digest.js';

export interface SessionStart {
  readonly bucket: string;
  readonly name: string;
  readonly fields: ObjectMetadataFields;
  readonly conditions: Preconditions;
  readonly expected: ExpectedDigest;
}

interface Session extends SessionStart {
  readonly draft: BlobDraft;
  /** Hashes exactly the bytes in the draft; rebuilt from the draft if a segment breaks off. */
  hasher: ObjectHasher;
  /** Serialises PUTs on one session (a retried request may overlap a stale one). */
  queue: Promise<void>;
  result?: ObjectRecord;
}

/**
 * Resumable upload sessions: bytes accumulate in a backend draft chunk by chunk, hashed as they
 * arrive; the object appears when the last byte does. Sessions live in memory only.
 */
export class ResumableSessions {
  readonly #catalog: Catalog;
  readonly #sessions = new Map<string, Session>();

  constructor(catalog: Catalog) {
    this.#catalog = catalog;
  }

  async start(start: SessionStart): Promise<string> {
    const id = randomUUID();
    const draft = await this.#catalog.backend.createDraft();
    this.#sessions.set(id, { ...start, draft, hasher: new ObjectHasher(), queue: Promise.resolve() });
    return id;
  }

  /** Handles a PUT to a session URI: a chunk, the last chunk, or a status query. */
  put(ctx: GcsRequest, id: string): Promise<void> {
    const session = this.#session(id);
    const run = session.queue.then(() => this.#put(ctx, id, session));
    session.queue = run.catch(() => undefined);
    return run;
  }

  /** Cancels a session (DELETE on its URI); the API answers 499. */
  async cancel(ctx: GcsRequest, id: string): Promise<void> {
    const session = this.#session(id);
    this.#sessions.delete(id);
    await session.draft.discard();
    sendEmpty(ctx.response, 499);
  }

  async clear(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((session) => session.draft.discard()));
  }

  async #put(ctx: GcsRequest, id: string, session: Session): Promise<void> {
    if (session.result !== undefined) {
      await drain(ctx.request);
      sendJson(ctx.response, 200, objectResource(session.result, ctx.baseUrl));
      return;
    }
    const range = parseContentRange(ctx.request.headers['content-range']);
    if (range === undefined) throw gcsErrors.badRequest('Invalid Content-Range header.');
    let final: boolean;
    if (range.kind === 'status') {
      await drain(ctx.request);
      final = range.total !== undefined && range.total === session.hasher.size;
    } else {
      const received = session.hasher.size;
      if (range.start > received) {
        await drain(ctx.request);
        this.#sendIncomplete(ctx, session);
        return;
      }
      try {
        await pipeline(
          ctx.request,
          skipBytes(received - range.start),
          session.hasher.tap(),
          session.draft.segment(),
        );
      } catch (error) {
        await this.#resync(id, session);
        throw error;
      }
      const size = session.hasher.size;
      if (range.total !== undefined && size > range.total) {
        throw gcsErrors.badRequest(`Upload of ${size} bytes exceeds the declared total of ${range.total}.`);
      }
      final = range.end === undefined || (range.total !== undefined && size === range.total);
    }
    if (!final) {
      this.#sendIncomplete(ctx, session);
      return;
    }
    this.#sessions.delete(id);
    const object = await this.#finish(session, expectedDigest(ctx.request.headers['x-goog-hash']));
    session.result = object;
    this.#sessions.set(id, session);
    sendJson(ctx.response, 200, objectResource(object, ctx.baseUrl));
  }

  async #finish(session: Session, declared: ExpectedDigest): Promise<ObjectRecord> {
    const digest = session.hasher.digest();
    try {
      verifyDigest(digest, { ...session.expected, ...declared });
    } catch (error) {
      await session.draft.discard();
      throw error;
    }
    const blobId = await session.draft.commit();
    return this.#catalog.putObject(
      { bucket: session.bucket, name: session.name, ...session.fields, blobId, digest },
      session.conditions,
    );
  }

  /**
   * After a broken request the hasher may have counted bytes that never reached the draft;
   * re-hash what did land, so the next status query reports the truth. If even that fails,
   * the session is dropped rather than left inconsistent.
   */
  async #resync(id: string, session: Session): Promise<void> {
    try {
      const hasher = new ObjectHasher();
      await pipeline(
        await session.draft.read(),
        hasher.tap(),
        new Writable({ write: (_chunk, _encoding, done) => done() }),
      );
      session.hasher = hasher;
    } catch {
      // Without a trustworthy count the session cannot go on: the client must start again.
      this.#sessions.delete(id);
      await session.draft.discard().catch(() => undefined);
    }
  }

  #sendIncomplete(ctx: GcsRequest, session: Session): void {
    const size = session.hasher.size;
    sendEmpty(ctx.response, 308, size > 0 ? { range: `bytes=0-${size - 1}` } : {});
  }

  #session(id: string): Session {
    const session = this.#sessions.get(id);
    if (session === undefined) throw gcsErrors.noSuchUpload();
    return session;
  }
}

/** Drops the first `count` bytes (a client resending bytes the server already has). */
function skipBytes(count: number): Transform {
  let remaining = count;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (remaining >= chunk.length) {
        remaining -= chunk.length;
        callback();
        return;
      }
      const rest = chunk.subarray(remaining);
      remaining = 0;
      callback(null, rest);
    },
  });
}
