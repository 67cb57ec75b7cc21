import type { BigQuery } from '@google-cloud/bigquery';
import { BlobStore } from '@bq-sftp-export/cloud';
import type { ConfigSource } from '@bq-sftp-export/config';
import { ContainerModule } from 'inversify';

import { BigQueryRowSource } from './adapters/bigquery-row-source.adapter.js';
import type { BigQueryReadClient } from './adapters/storage-read.js';
import { ExportConfigSource } from './application/config-source.port.js';
import { ExportRequestedHandler } from './application/export-requested.handler.js';
import { ExportRunner } from './application/export-runner.js';
import { ExtractorSettings } from './application/extractor-settings.js';
import { RowSource } from './application/row-source.port.js';

export interface ExtractorModuleOptions {
  readonly settings: ExtractorSettings;
  /** Where configs are read from; built in `main.ts` (a gs:// source reads through the BlobStore). */
  readonly configSource: (store: BlobStore) => ConfigSource;
  readonly bigquery: BigQuery;
  /** Storage Read API client and threshold (`STORAGE_READ_MIN_ROWS`); without it, REST only. */
  readonly storageRead?: { readonly client: BigQueryReadClient; readonly minRows: number } | undefined;
}

/**
 * The extractor: the `export.requested` handler, the export runner and the BigQuery row
 * source. Expects `BlobStore`, `MessagePublisher`, `Clock` and `Logger` bound elsewhere (the
 * cloud adapters and `runtimeModule`); tests rebind those edges.
 */
export function extractorModule(options: ExtractorModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(ExtractorSettings).toConstantValue(options.settings);
    bind(ExportConfigSource)
      .toResolvedValue((store: BlobStore) => options.configSource(store), [BlobStore])
      .inSingletonScope();
    bind(RowSource).toConstantValue(
      new BigQueryRowSource(options.bigquery, { storage: options.storageRead }),
    );
    bind(ExportRunner).toSelf().inSingletonScope();
    bind(ExportRequestedHandler).toSelf().inSingletonScope();
  });
}
