import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { BlobMetadata, BlobRef, BlobStore } from '@bq-sftp-export/cloud';
import type { ResolvedExport } from '@bq-sftp-export/config';
import type { ExportQuery } from '@bq-sftp-export/export-domain';
import { AppError, withSpan } from '@bq-sftp-export/runtime';

import type { ExportRow } from '../domain/encoding/column-schema.js';
import { encodeRows, type EncodedFigures, type EncodedRows } from './encode-rows.js';
import { contentTypeOf } from './encoder-settings.js';
import type { RowSource } from './row-source.port.js';

/** Custom metadata keys on a staged object: its figures, so a rerun can reuse it. */
export const StagedMetadataKeys = {
  runId: 'bqx-run-id',
  sha256: 'bqx-sha256',
  rowCount: 'bqx-row-count',
  lastExportedValue: 'bqx-last-exported-value',
} as const;

export type StageResult =
  | {
      readonly kind: 'staged';
      readonly object: BlobMetadata;
      readonly figures: EncodedFigures;
      readonly reused: boolean;
    }
  | { readonly kind: 'empty' };

export interface StageRequest {
  readonly ref: BlobRef;
  readonly exportConfig: ResolvedExport;
  readonly query: ExportQuery;
  readonly runId: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Writes the run's staged object once: create-only (`ifGenerationMatch=0`) at a name fixed by
 * the window. When the object is already there (a rerun after a crash), it is reused with the
 * figures stored on it; if the crash came before those were stored, the query is run again at
 * the same snapshot and its bytes must hash to the object's, or the run fails.
 */
export class StagedFileWriter {
  constructor(
    private readonly store: BlobStore,
    private readonly rowSource: RowSource,
  ) {}

  async stage(request: StageRequest): Promise<StageResult> {
    const existing = await this.store.stat(request.ref);
    if (existing !== undefined) return this.reuse(request, existing);

    const { columns, rows } = await withSpan(
      'bigquery query',
      { attributes: { 'bqx.run_id': request.runId } },
      () => this.rowSource.openRows(request.query, { signal: request.signal }),
    );
    const iterator = rows[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done === true && request.exportConfig.emptyExport === 'skip') return { kind: 'empty' };

    const encoded = encodeRows(request.exportConfig, columns, continueWith(first, iterator));
    // The rows stream from BigQuery into the object: this span covers the read and the write.
    const stagingAttributes = {
      'bqx.run_id': request.runId,
      'gcs.bucket': request.ref.bucket,
      'gcs.object': request.ref.name,
    };
    const created = await withSpan('staging write', { attributes: stagingAttributes }, async (span) => {
      try {
        const result = await this.store.createFromStream(request.ref, encoded.bytes, {
          contentType: contentTypeOf(request.exportConfig),
          metadata: { [StagedMetadataKeys.runId]: request.runId },
        });
        if (result.kind === 'created') {
          const { rowCount, byteSize } = encoded.figures();
          span.setAttributes({ 'bqx.rows': rowCount, 'bqx.bytes': byteSize });
        }
        return result;
      } catch (error) {
        throw stageError(encoded, error);
      }
    });
    if (created.kind === 'exists') {
      encoded.bytes.destroy();
      return this.reuse(request, created.metadata);
    }
    const figures = encoded.figures();
    const object = await this.store.patchMetadata(request.ref, figuresMetadata(figures));
    return { kind: 'staged', object, figures, reused: false };
  }

  private async reuse(request: StageRequest, object: BlobMetadata): Promise<StageResult> {
    const stored = figuresFrom(object);
    if (stored !== undefined) return { kind: 'staged', object, figures: stored, reused: true };
    const figures = await this.recount(request);
    const actual = await this.hashObject(object);
    if (actual !== figures.sha256) {
      throw new AppError(
        `staged object ${object.name} differs from a re-read of its window; remove it to export the window again`,
        { code: 'STAGED_OBJECT_MISMATCH', retryable: false, details: { object: object.name } },
      );
    }
    const patched = await this.store.patchMetadata(request.ref, figuresMetadata(figures));
    return { kind: 'staged', object: patched, figures, reused: true };
  }

  /** Encodes the window again without writing anything, for its figures. */
  private async recount(request: StageRequest): Promise<EncodedFigures> {
    const { columns, rows } = await this.rowSource.openRows(request.query, { signal: request.signal });
    const encoded = encodeRows(request.exportConfig, columns, rows);
    try {
      await pipeline(encoded.bytes, discard());
    } catch (error) {
      throw stageError(encoded, error);
    }
    return encoded.figures();
  }

  private async hashObject(object: BlobMetadata): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(
      this.store.openRead(object, { generation: object.generation }),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback();
        },
      }),
    );
    return hash.digest('hex');
  }
}

async function* continueWith(
  first: IteratorResult<ExportRow>,
  rest: AsyncIterator<ExportRow>,
): AsyncGenerator<ExportRow> {
  if (first.done === true) return;
  yield first.value;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

/** The error of the stage that failed first (BigQuery, encoder), else the upload's own. */
function stageError(encoded: EncodedRows, uploadError: unknown): unknown {
  const first = encoded.firstError() as { code?: unknown } | undefined;
  const generic = first?.code === 'ERR_STREAM_PREMATURE_CLOSE' || first?.code === 'ABORT_ERR';
  return first !== undefined && !generic ? first : uploadError;
}

function figuresMetadata(figures: EncodedFigures): Record<string, string> {
  return {
    [StagedMetadataKeys.sha256]: figures.sha256,
    [StagedMetadataKeys.rowCount]: String(figures.rowCount),
    ...(figures.lastExportedValue === undefined
      ? {}
      : { [StagedMetadataKeys.lastExportedValue]: figures.lastExportedValue }),
  };
}

function figuresFrom(object: BlobMetadata): EncodedFigures | undefined {
  const sha256 = object.metadata[StagedMetadataKeys.sha256];
  const rows = object.metadata[StagedMetadataKeys.rowCount];
  if (sha256 === undefined || rows === undefined || !/^[0-9]+$/.test(rows)) return undefined;
  return {
    sha256,
    rowCount: Number(rows),
    byteSize: object.size,
    lastExportedValue: object.metadata[StagedMetadataKeys.lastExportedValue],
  };
}
