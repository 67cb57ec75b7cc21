import type { MessageProblem } from '@bq-sftp-export/contracts';

import { DEFAULT_CSV_DIALECT } from '../schema/csv-dialect.schema.js';
import type { CsvDialectInput } from '../schema/csv-dialect.schema.js';
import { DEFAULT_FILE_MODE } from '../schema/destination.schema.js';
import type { NamedDestinationInput, SeedSftpInput } from '../schema/destination.schema.js';
import type { ExportConfigInput } from '../schema/export-config.schema.js';
import type { ExportDefaultsInput } from '../schema/export-options.schema.js';
import type { ExportInput } from '../schema/export.schema.js';
import type { NotificationsInput } from '../schema/notifications.schema.js';
import { defaultManifestName, manifestTemplateCollision } from '../schema/manifest-name-template.js';
import type { PgpInput } from '../schema/pgp.schema.js';
import type {
  DestinationSpec,
  ExportConfig,
  AlertSettings,
  NotificationSettings,
  PgpSpec,
  ResolvedExport,
} from './export-config.js';
import { fileNameLengthProblems } from './file-name-checks.js';

/** The destination the seed's top-level `sftp` block becomes. */
export const DEFAULT_DESTINATION = 'default';

function csvDialect(...layers: (CsvDialectInput | undefined)[]): ResolvedExport['csv'] {
  const merged = Object.assign({}, ...layers) as CsvDialectInput;
  return {
    delimiter: merged.delimiter ?? DEFAULT_CSV_DIALECT.delimiter,
    quote: merged.quote ?? DEFAULT_CSV_DIALECT.quote,
    header: merged.header ?? DEFAULT_CSV_DIALECT.header,
    null: merged.null ?? DEFAULT_CSV_DIALECT.null,
    lineEnding: merged.line_ending ?? DEFAULT_CSV_DIALECT.lineEnding,
    bom: merged.bom ?? DEFAULT_CSV_DIALECT.bom,
    timestampFormat: merged.timestamp_format ?? DEFAULT_CSV_DIALECT.timestampFormat,
    timestampTimeZone: merged.timestamp_time_zone ?? DEFAULT_CSV_DIALECT.timestampTimeZone,
    formulaGuard: merged.formula_guard ?? DEFAULT_CSV_DIALECT.formulaGuard,
  };
}

function resolveExport(entry: ExportInput, defaults: ExportDefaultsInput): ResolvedExport {
  const pick = <K extends keyof ExportDefaultsInput>(key: K): ExportDefaultsInput[K] =>
    entry[key] ?? defaults[key];
  const startAt = pick('start_at');
  const dedupeKey = pick('dedupe_key');
  return {
    name: entry.name,
    sourceTable: entry.source_table,
    fileNameTemplate: entry.destination_filename,
    mode: entry.incremental === true ? 'incremental' : 'full',
    ...(entry.timestamp_column === undefined ? {} : { timestampColumn: entry.timestamp_column }),
    columns: entry.columns,
    format: pick('format') ?? 'csv',
    csv: csvDialect(defaults.csv, entry.csv),
    compression: pick('compression') ?? 'none',
    destination: pick('destination') ?? DEFAULT_DESTINATION,
    lookbackSeconds: pick('lookback_seconds') ?? 0,
    settleDelaySeconds: pick('settle_delay_seconds') ?? 0,
    ...(startAt === undefined ? {} : { startAt }),
    ...(dedupeKey === undefined ? {} : { dedupeKey }),
    emptyExport: pick('empty_export') ?? 'skip',
    fileNameTimeZone: pick('file_name_time_zone') ?? 'UTC',
  };
}

function destinationSpec(name: string, input: SeedSftpInput | NamedDestinationInput): DestinationSpec {
  return {
    name,
    ...(input.host === undefined ? {} : { host: input.host }),
    ...(input.username === undefined ? {} : { username: input.username }),
    port: input.port ?? 22,
    auth: input.auth ?? { method: 'password', password_env: 'SFTP_PASSWORD' },
    hostKeyFingerprints: input.host_key_fingerprints ?? [],
    path: input.path,
    tempName: input.temp_name ?? '.{name}.part',
    collision: input.collision ?? 'fail',
    createDirectory: input.create_directory ?? false,
    fileMode: Number.parseInt(input.file_mode ?? DEFAULT_FILE_MODE, 8),
    ...(input.pgp === undefined ? {} : { pgp: pgpSpec(name, input.pgp) }),
    ...(input.manifest === undefined
      ? {}
      : {
          manifest: {
            format: input.manifest.format,
            name: input.manifest.name ?? defaultManifestName(input.manifest.format),
          },
        }),
  };
}

/** `sftp` for the seed's block, `destinations.<name>` for the others. */
function destinationPath(name: string): string {
  return name === DEFAULT_DESTINATION ? 'sftp' : `destinations.${name}`;
}

function pgpSpec(destination: string, input: PgpInput): PgpSpec {
  const base = `${destinationPath(destination)}.pgp`;
  return {
    recipients: input.recipients.map((recipient, index) => {
      const field = `${base}.recipients[${index}]`;
      return 'public_key' in recipient
        ? { field: `${field}.public_key`, publicKey: recipient.public_key }
        : { field: `${field}.public_key_env`, publicKeyEnv: recipient.public_key_env };
    }),
    ...(input.sign === undefined
      ? {}
      : {
          sign: {
            field: `${base}.sign.private_key_env`,
            privateKeyEnv: input.sign.private_key_env,
            ...(input.sign.passphrase_env === undefined ? {} : { passphraseEnv: input.sign.passphrase_env }),
          },
        }),
    armor: input.armor ?? false,
    fileSuffix: input.file_suffix ?? '',
  };
}

function alertSettings(input: NotificationsInput['alerts'] = {}): AlertSettings {
  const { volume } = input;
  return {
    zeroRows: input.zero_rows ?? false,
    ...(volume === undefined
      ? {}
      : {
          volume: {
            runs: volume.runs ?? 10,
            minRuns: volume.min_runs ?? 5,
            dropBelow: volume.drop_below ?? 0.5,
            spikeAbove: volume.spike_above ?? 2,
          },
        }),
    ...(input.watermark_stalled_runs === undefined
      ? {}
      : { watermarkStalledRuns: input.watermark_stalled_runs }),
    ...(input.freshness_seconds === undefined ? {} : { freshnessSeconds: input.freshness_seconds }),
  };
}

function notificationSettings(input: NotificationsInput = {}): NotificationSettings {
  const { email, slack } = input;
  return {
    ...(email === undefined
      ? {}
      : {
          email: {
            to: email.to,
            from: email.from,
            smtpHost: email.smtp_host,
            smtpPort: email.smtp_port ?? 587,
            secure: email.secure ?? false,
            ...(email.username === undefined ? {} : { username: email.username }),
            passwordEnv: email.password_env ?? 'EMAIL_PASSWORD',
          },
        }),
    ...(slack === undefined || slack.enabled === false
      ? {}
      : { slack: { webhookUrlEnv: slack.webhook_url_env ?? 'SLACK_WEBHOOK_URL' } }),
    onSuccess: input.on_success ?? true,
    onFailure: input.on_failure ?? true,
    alerts: alertSettings(input.alerts),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Rules that need defaults applied: destination references, lookback, name collisions. */
function resolvedProblems(input: ExportConfigInput, config: ExportConfig): MessageProblem[] {
  const problems: MessageProblem[] = [];
  if (input.sftp !== undefined && input.destinations?.[DEFAULT_DESTINATION] !== undefined) {
    problems.push({
      path: `destinations.${DEFAULT_DESTINATION}`,
      message: 'expected another name: "default" is the top-level sftp block',
    });
  }
  for (const destination of Object.values(config.destinations)) {
    if (destination.manifest === undefined) continue;
    const collision = manifestTemplateCollision(destination.manifest.name, {
      tempName: destination.tempName,
      fileSuffix: destination.pgp?.fileSuffix ?? '',
    });
    if (collision !== undefined) {
      problems.push({ path: `${destinationPath(destination.name)}.manifest.name`, message: collision });
    }
  }
  const known = Object.keys(config.destinations);
  const seen = new Map<string, number>();
  config.exports.forEach((entry, index) => {
    const own = input.exports[index];
    const origin = (key: keyof ExportInput): string =>
      own?.[key] === undefined && input.defaults?.[key as keyof ExportDefaultsInput] !== undefined
        ? `defaults.${key}`
        : `exports[${index}].${key}`;
    const destination = config.destinations[entry.destination];
    if (destination === undefined) {
      problems.push({
        path: origin('destination'),
        message:
          entry.destination === DEFAULT_DESTINATION
            ? 'expected a top-level "sftp" block (or a destination for this export)'
            : `expected one of the destinations: ${known.join(', ') || '(none defined)'}`,
      });
    }
    if (entry.lookbackSeconds > 0 && entry.mode !== 'incremental') {
      problems.push({ path: origin('lookback_seconds'), message: 'expected 0 for a full export' });
    }
    if (entry.lookbackSeconds > 0 && entry.dedupeKey === undefined) {
      problems.push({
        path: `exports[${index}].dedupe_key`,
        message: 'expected a dedupe_key when lookback_seconds > 0',
      });
    }
    const target = `${destination?.name ?? entry.destination}\u0000${destination?.path ?? ''}\u0000${entry.fileNameTemplate}`;
    const earlier = seen.get(target);
    if (earlier !== undefined && !/\{(export|run_id)\}/.test(entry.fileNameTemplate)) {
      problems.push({
        path: `exports[${index}].destination_filename`,
        message: `expected a name different from exports[${earlier}]'s in the same directory (or use {export})`,
      });
    }
    seen.set(target, index);
  });
  problems.push(...fileNameLengthProblems(config));
  return problems;
}

/** Applies defaults to a schema-valid config; returns it frozen, or the problems found. */
export function resolveExportConfig(
  input: ExportConfigInput,
  name: string,
): { config: ExportConfig; problems: MessageProblem[] } {
  const destinations: Record<string, DestinationSpec> = {};
  if (input.sftp !== undefined)
    destinations[DEFAULT_DESTINATION] = destinationSpec(DEFAULT_DESTINATION, input.sftp);
  for (const [destinationName, destination] of Object.entries(input.destinations ?? {})) {
    destinations[destinationName] ??= destinationSpec(destinationName, destination);
  }
  const config: ExportConfig = {
    name,
    metadataTable: input.metadata_table,
    exports: input.exports.map((entry) => resolveExport(entry, input.defaults ?? {})),
    destinations,
    notifications: notificationSettings(input.notifications),
    staging: {
      ...(input.staging?.bucket === undefined ? {} : { bucket: input.staging.bucket }),
      prefix: input.staging?.prefix ?? 'exports/',
    },
  };
  return { config: deepFreeze(config), problems: resolvedProblems(input, config) };
}
