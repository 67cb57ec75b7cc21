import { pipeline, Readable } from 'node:stream';

import type { ResolvedExport } from '@bq-sftp-export/config';
import { formatInstant, parseIsoInstant, type Micros } from '@bq-sftp-export/export-domain';
import { faultPoint, FaultPoints } from '@bq-sftp-export/runtime';

import type { ColumnSchema, ExportRow } from '../domain/encoding/column-schema.js';
import { isoText } from '../domain/encoding/value-text.js';
import { ByteCounterTransform } from '../streams/byte-counter.transform.js';
import { createCompressionStream } from '../streams/compression.js';
import { CsvEncodeTransform } from '../streams/csv-encode.transform.js';
import { ParquetEncodeTransform } from '../streams/parquet-encode.transform.js';
import { csvDialectOf } from './encoder-settings.js';

/** What the encoded file holds, known once its bytes have all been read. */
export interface EncodedFigures {
  readonly rowCount: number;
  readonly byteSize: number;
  readonly sha256: string;
  /** Highest `timestamp_column` value in the file (ISO, microseconds), if any. */
  readonly lastExportedValue: string | undefined;
}

export interface EncodedRows {
  /** The file's bytes; errors of every stage (rows, encoder, gzip) surface here. */
  readonly bytes: Readable;
  /** The figures; call after `bytes` ended. */
  figures(): EncodedFigures;
  /** The first error of any stage, as thrown there (the BigQuery or encoder error, not a wrapper). */
  firstError(): unknown;
}

/**
 * rows → CSV or Parquet encoder → optional gzip → byte/sha256 counter, one streamed chain with
 * backpressure from the consumer (the Cloud Storage upload) back to the row source.
 */
export function encodeRows(
  exportConfig: ResolvedExport,
  columns: readonly ColumnSchema[],
  rows: AsyncIterable<ExportRow>,
): EncodedRows {
  let rowCount = 0;
  let highest: Micros | undefined;
  let error: unknown;
  const timestampColumn = exportConfig.timestampColumn;
  async function* observed(): AsyncGenerator<ExportRow> {
    for await (const row of rows) {
      rowCount++;
      await faultPoint(FaultPoints.extractorRowRead);
      const value = timestampColumn === undefined ? null : row[timestampColumn];
      if (value != null) {
        const micros = parseIsoInstant(isoText(value));
        if (highest === undefined || micros > highest) highest = micros;
      }
      yield row;
    }
  }
  const source = Readable.from(observed(), { objectMode: true, highWaterMark: 256 });
  const encoder =
    exportConfig.format === 'csv'
      ? new CsvEncodeTransform(columns, csvDialectOf(exportConfig))
      : new ParquetEncodeTransform(columns);
  const compression = createCompressionStream({ compression: exportConfig.compression });
  const counter = new ByteCounterTransform();
  for (const stage of [source, encoder, compression, counter]) {
    stage.on('error', (stageError: unknown) => {
      error ??= stageError;
    });
  }
  // The consumer reads `counter`; an error anywhere destroys every stage, and a consumer that
  // stops reading (a failed upload) stops the row source too.
  pipeline(source, encoder, compression, counter, () => undefined);
  const bytes: Readable = counter;
  return {
    bytes,
    firstError: () => error,
    figures: () => ({
      rowCount,
      byteSize: counter.byteSize,
      sha256: counter.sha256,
      lastExportedValue: highest === undefined ? undefined : formatInstant(highest),
    }),
  };
}
