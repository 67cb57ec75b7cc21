import { Transform, type TransformCallback } from 'node:stream';

/**
 * A Transform that takes its next input only once its consumer has read what it pushed.
 *
 * Node's Transform paces itself only while its writable side is open: once the writer has
 * ended, every input still buffered on the writable side is transformed at once, whatever the
 * consumer (`wState.ended` in `Transform.prototype._write`). An encoder fed pages of rows can
 * have a large input buffer (1024 pages of 1000 rows), so without this the whole output of
 * that buffer would wait in memory for a slow consumer.
 */
export abstract class PacedTransform extends Transform {
  private full = false;
  private held: TransformCallback | undefined;

  /** Pushes output and remembers when the consumer has enough for now. */
  protected pushOutput(bytes: Buffer): void {
    if (!this.push(bytes)) this.full = true;
  }

  /** Finishes one input: now, or when the consumer next asks for more. */
  protected nextInput(callback: TransformCallback): void {
    if (this.full) this.held = callback;
    else callback();
  }

  override _read(size: number): void {
    this.full = false;
    const held = this.held;
    this.held = undefined;
    // First: Node's Transform may defer the input's end itself (its readable buffer can still be
    // at the high-water mark here), and its `_read` is what releases that.
    held?.();
    super._read(size);
  }
}
