export type { Environment, SecretEnvironment } from './env/environment.js';
export {
  DEFAULT_STORAGE_READ_MIN_ROWS,
  ENVIRONMENT_INVALID,
  parseEnvironment,
  secretEnvironment,
} from './env/environment.js';
export {
  exportConfigJsonSchema,
  exportConfigJsonSchemaText,
} from './json-schema/export-config-json-schema.js';
export type {
  AlertSettings,
  DestinationSpec,
  EmailSettings,
  ExportConfig,
  ManifestSpec,
  NotificationSettings,
  VolumeAlertSettings,
  PgpRecipientSpec,
  PgpSpec,
  ResolvedExport,
} from './resolve/export-config.js';
export {
  exportConfigWarnings,
  fileNameLengthProblems,
  MAX_FILE_NAME_BYTES,
} from './resolve/file-name-checks.js';
export { DEFAULT_DESTINATION } from './resolve/resolve-export-config.js';
export {
  CONFIG_INVALID,
  configInvalidError,
  validateExportConfig,
} from './resolve/validate-export-config.js';
export type { CsvDialect } from './schema/csv-dialect.schema.js';
export { DEFAULT_CSV_DIALECT } from './schema/csv-dialect.schema.js';
export type { SftpAuth } from './schema/destination.schema.js';
export { exportConfigSchema } from './schema/export-config.schema.js';
export type { ExportConfigInput } from './schema/export-config.schema.js';
export type { FileNamePlaceholder, FileNameValues } from './schema/file-name-template.js';
export {
  FILE_NAME_PLACEHOLDERS,
  fileNameTemplateProblems,
  renderFileName,
  RUN_ID_LENGTH,
  templateDiffersPerRun,
} from './schema/file-name-template.js';
export type { ManifestFormat, ManifestNames, ManifestNameValues } from './schema/manifest-name-template.js';
export {
  MANIFEST_FORMATS,
  MANIFEST_NAME_PLACEHOLDERS,
  manifestNameCollision,
  renderManifestName,
} from './schema/manifest-name-template.js';
export { renderTempName, tempNameProblems } from './schema/temp-name-template.js';
export type {
  NotificationSecrets,
  PgpMaterial,
  SftpConnection,
  SftpCredentials,
} from './secrets/resolve-secrets.js';
export {
  resolveNotificationSecrets,
  resolveSftpConnection,
  SECRETS_MISSING,
} from './secrets/resolve-secrets.js';
export { checkConfigSecrets } from './secrets/check-config-secrets.js';
export type { ConfigSecretsCheck, SecretsScope } from './secrets/check-config-secrets.js';
export { Secret } from './secrets/secret.js';
export type { BlobReader, ConfigSource } from './source/config-source.js';
export {
  assertConfigName,
  CONFIG_NAME_INVALID,
  CONFIG_NOT_FOUND,
  CONFIG_SOURCE_INVALID,
} from './source/config-source.js';
export { DirectoryConfigSource, readConfigFile } from './source/directory-config-source.js';
export { GcsConfigSource } from './source/gcs-config-source.js';
export { createConfigSource, loadExportConfig } from './source/load-config.js';
export { decodeConfigText, MAX_CONFIG_BYTES, parseConfigJson } from './source/config-text.js';
