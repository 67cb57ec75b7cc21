import type { TransformCallback } from 'node:stream';

import type { ColumnSchema, ExportRow as Row } from '../domain/encoding/column-schema.js';
import type { CsvDialect } from '../domain/encoding/csv-dialect.js';
import { CsvRowEncoder } from '../domain/encoding/csv-row-encoder.js';
import { PacedTransform } from './paced-transform.js';

export interface CsvEncodeOptions {
  /** Bytes are pushed downstream in chunks of at most this size (a longer row goes alone). Default 64 KiB. */
  readonly chunkSize?: number;
}

/**
 * Rows (objects keyed by column name, singly or as arrays) in, CSV bytes out. Each row's text is written as UTF-8
 * straight into a 64 KiB buffer, and full buffers are pushed: one push per ~64 KiB instead of
 * per row, and no long string ropes to flatten (which measured ~25 % slower than per-row
 * writes). The preamble (BOM, header) is written even when no row arrives. The next row or page
 * is taken only once the consumer has read what was pushed (see `PacedTransform`).
 */
export class CsvEncodeTransform extends PacedTransform {
  private readonly encoder: CsvRowEncoder;
  private readonly chunkSize: number;
  private chunk: Buffer;
  private offset = 0;
  private rows = 0;

  constructor(
    columns: readonly ColumnSchema[],
    dialect: Partial<CsvDialect> = {},
    options: CsvEncodeOptions = {},
  ) {
    super({ writableObjectMode: true, writableHighWaterMark: 1024 });
    this.encoder = new CsvRowEncoder(columns, dialect);
    this.chunkSize = options.chunkSize ?? 64 * 1024;
    this.chunk = Buffer.allocUnsafe(this.chunkSize);
    this.append(this.encoder.preamble());
  }

  /** Rows encoded so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Takes a row, or a page of rows (an array): a page costs one stream hop instead of one per row. */
  override _transform(
    chunk: Row | readonly Row[],
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    try {
      if (Array.isArray(chunk)) {
        for (const row of chunk as readonly Row[]) this.append(this.encoder.encodeRow(row));
        this.rows += chunk.length;
      } else {
        this.append(this.encoder.encodeRow(chunk as Row));
        this.rows++;
      }
      this.nextInput(callback);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    this.flushPending();
    callback();
  }

  /** Writes text into the current chunk; a UTF-16 unit takes at most 3 UTF-8 bytes. */
  private append(text: string): void {
    const worstCase = text.length * 3;
    if (this.offset + worstCase > this.chunk.length) {
      this.flushPending();
      if (worstCase > this.chunk.length) {
        this.pushOutput(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.offset += this.chunk.write(text, this.offset, 'utf8');
  }

  private flushPending(): void {
    if (this.offset === 0) return;
    this.pushOutput(this.chunk.subarray(0, this.offset));
    this.chunk = Buffer.allocUnsafe(this.chunkSize);
    this.offset = 0;
  }
}
