import { gcsErrors } from '../model/gcs-error.js';

/**
 * Pulls bytes from an async source on demand and finds delimiters across chunk borders, so a
 * multipart body can be split while its large part streams through with backpressure.
 */
export class ByteReader {
  readonly #source: AsyncIterator<Buffer>;
  #pending: Buffer = Buffer.alloc(0);

  constructor(source: AsyncIterable<Buffer>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  /** Everything up to `delimiter` (consumed, not returned), at most `limit` bytes. */
  async readUntil(delimiter: Buffer, limit: number): Promise<Buffer> {
    for (;;) {
      const at = this.#pending.indexOf(delimiter);
      if (at !== -1) {
        const head = this.#pending.subarray(0, at);
        this.#pending = this.#pending.subarray(at + delimiter.length);
        return head;
      }
      if (this.#pending.length > limit) throw gcsErrors.badRequest('Multipart part too large.');
      if (!(await this.#pull())) throw gcsErrors.badRequest('Multipart body ended early.');
    }
  }

  /** Yields the bytes up to `delimiter` as they arrive; the delimiter is consumed. */
  async *streamUntil(delimiter: Buffer): AsyncGenerator<Buffer> {
    const keep = delimiter.length - 1;
    for (;;) {
      const at = this.#pending.indexOf(delimiter);
      if (at !== -1) {
        if (at > 0) yield this.#pending.subarray(0, at);
        this.#pending = this.#pending.subarray(at + delimiter.length);
        return;
      }
      if (this.#pending.length > keep) {
        const ready = this.#pending.subarray(0, this.#pending.length - keep);
        this.#pending = this.#pending.subarray(this.#pending.length - keep);
        yield ready;
      }
      if (!(await this.#pull())) throw gcsErrors.badRequest('Multipart body ended early.');
    }
  }

  async #pull(): Promise<boolean> {
    const next = await this.#source.next();
    if (next.done === true) return false;
    this.#pending = this.#pending.length === 0 ? next.value : Buffer.concat([this.#pending, next.value]);
    return true;
  }
}
