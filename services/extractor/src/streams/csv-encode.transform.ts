import { Transform, type TransformCallback } from 'node:stream';

import type { ColumnSchema } from '../domain/encoding/column-schema.js';
import type { CsvDialect } from '../domain/encoding/csv-dialect.js';
import { CsvRowEncoder } from '../domain/encoding/csv-row-encoder.js';

export interface CsvEncodeOptions {
  /** Text is pushed downstream in chunks of about this many UTF-16 units. Default 64 KiB. */
  readonly chunkSize?: number;
}

/**
 * Rows (objects keyed by column name) in, CSV bytes out. Rows are appended to one string and
 * pushed as a Buffer once it reaches `chunkSize`: one push and one UTF-8 conversion per
 * ~64 KiB instead of per row, which is what makes the encoder several times faster than a
 * per-row stream. The preamble (BOM, header) is written even when no row arrives.
 */
export class CsvEncodeTransform extends Transform {
  private readonly encoder: CsvRowEncoder;
  private readonly chunkSize: number;
  private pending: string;
  private rows = 0;

  constructor(
    columns: readonly ColumnSchema[],
    dialect: Partial<CsvDialect> = {},
    options: CsvEncodeOptions = {},
  ) {
    super({ writableObjectMode: true, writableHighWaterMark: 1024 });
    this.encoder = new CsvRowEncoder(columns, dialect);
    this.chunkSize = options.chunkSize ?? 64 * 1024;
    this.pending = this.encoder.preamble();
  }

  /** Rows encoded so far. */
  get rowCount(): number {
    return this.rows;
  }

  override _transform(
    row: Readonly<Record<string, unknown>>,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    try {
      this.pending += this.encoder.encodeRow(row);
      this.rows++;
      if (this.pending.length >= this.chunkSize) this.flushPending();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    this.flushPending();
    callback();
  }

  private flushPending(): void {
    if (this.pending.length > 0) this.push(Buffer.from(this.pending, 'utf8'));
    this.pending = '';
  }
}
