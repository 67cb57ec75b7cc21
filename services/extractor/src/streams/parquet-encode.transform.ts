import type { TransformCallback } from 'node:stream';

import { ByteWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';

import type { ColumnSchema, ExportRow as Row } from '../domain/encoding/column-schema.js';
import {
  parquetColumn,
  parquetSchema,
  type ParquetColumn,
  type ParquetValue,
} from '../domain/encoding/parquet-columns.js';
import { PacedTransform } from './paced-transform.js';

export interface ParquetEncodeOptions {
  /** Rows per row group; memory holds about one group. Default 20 000. */
  readonly rowGroupSize?: number;
  /** Page compression. Default SNAPPY. */
  readonly codec?: 'SNAPPY' | 'UNCOMPRESSED';
  /** Column statistics (min/max, null count) in the footer. Default true. */
  readonly statistics?: boolean;
}

/**
 * A hyparquet `Writer` that hands its bytes to a callback whenever the Parquet writer flushes
 * (after each row group, and at the end), then reuses its buffer: the file is never whole in
 * memory. `offset` keeps counting the total, which the footer's offsets need.
 */
class ForwardingWriter extends ByteWriter {
  constructor(private readonly emit: (bytes: Buffer) => void) {
    super(1 << 20);
  }

  flush(): void {
    if (this.index === 0) return;
    this.emit(Buffer.from(this.buffer.slice(0, this.index)));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

/**
 * Rows (objects keyed by column name, singly or as arrays) in, a Parquet file out, streamed: rows are collected
 * column-wise into a row group, each full group is encoded and its bytes pushed at once, and
 * the footer follows the last group. Memory holds one row group, however long the file: the
 * next row or page is taken only once the consumer has read the last group's bytes.
 */
export class ParquetEncodeTransform extends PacedTransform {
  private readonly columns: readonly ColumnSchema[];
  private readonly converters: readonly ParquetColumn[];
  private readonly writer: ParquetWriter;
  private readonly rowGroupSize: number;
  private group: ParquetValue[][];
  private rows = 0;

  constructor(columns: readonly ColumnSchema[], options: ParquetEncodeOptions = {}) {
    super({ writableObjectMode: true, writableHighWaterMark: 1024 });
    this.columns = columns;
    this.converters = columns.map(parquetColumn);
    this.rowGroupSize = options.rowGroupSize ?? 20_000;
    this.writer = new ParquetWriter({
      writer: new ForwardingWriter((bytes) => this.pushOutput(bytes)),
      schema: parquetSchema(this.converters),
      codec: options.codec ?? 'SNAPPY',
      statistics: options.statistics ?? true,
      createdBy: 'bq-sftp-export',
    });
    this.group = this.emptyGroup();
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Takes a row, or a page of rows (an array). */
  override _transform(
    chunk: Row | readonly Row[],
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    try {
      if (Array.isArray(chunk)) {
        for (const row of chunk as readonly Row[]) this.addRow(row);
      } else {
        this.addRow(chunk as Row);
      }
      this.nextInput(callback);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.writeGroup();
      void this.writer.finish();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private addRow(row: Row): void {
    for (let i = 0; i < this.columns.length; i++) {
      this.group[i]!.push(this.converters[i]!.convert(row[this.columns[i]!.name]));
    }
    this.rows++;
    if (this.group[0]!.length >= this.rowGroupSize) this.writeGroup();
  }

  private writeGroup(): void {
    const size = this.group[0]?.length ?? 0;
    if (size === 0) return;
    const columnData: ColumnSource[] = this.columns.map((column, i) => ({
      name: column.name,
      data: this.group[i]! as ColumnSource['data'],
    }));
    void this.writer.write({ columnData, rowGroupSize: size });
    this.group = this.emptyGroup();
  }

  private emptyGroup(): ParquetValue[][] {
    return this.columns.map(() => []);
  }
}
