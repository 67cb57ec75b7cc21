import type { ConfigSource } from '@bq-sftp-export/config';
import type { ServiceIdentifier } from 'inversify';

/** Where export configs are read from (`CONFIG_SOURCE`: a directory or `gs://bucket/prefix`). */
export const ExportConfigSource: ServiceIdentifier<ConfigSource> = Symbol('ExportConfigSource');
