import { zodProblems } from '@bq-sftp-export/contracts';
import { AppError, readPushEndpointSettings } from '@bq-sftp-export/runtime';
import type { TracingSettings } from '@bq-sftp-export/runtime';
import { z } from 'zod';

import { fingerprintSchema } from '../schema/destination.schema.js';
import { bucketSchema, hostSchema, projectIdSchema } from '../schema/identifiers.schema.js';
import { Secret } from '../secrets/secret.js';

export const ENVIRONMENT_INVALID = 'ENVIRONMENT_INVALID';

const optionalText = z.string().min(1).optional();
/** Results smaller than this are read through REST pages (a read session costs more than it saves). */
export const DEFAULT_STORAGE_READ_MIN_ROWS = 100_000;

const emulatorHost = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$|^\[[0-9A-Fa-f:]+\]:[0-9]{1,5}$/, 'expected host:port')
  .optional();

const portNumber = (min: number) =>
  z
    .string()
    .regex(/^[0-9]{1,5}$/, 'expected a port number')
    .transform(Number)
    .refine((port) => port >= min && port <= 65535, `expected a port ${min}-65535`);

const environmentSchema = z
  .object({
    /** Validated as the seed's `sftp.host`, which it stands in for. */
    SFTP_HOST: hostSchema.optional(),
    SFTP_USERNAME: optionalText,
    SFTP_PORT: portNumber(1).optional(),
    GOOGLE_APPLICATION_CREDENTIALS: optionalText,
    GOOGLE_CLOUD_PROJECT: projectIdSchema.optional(),
    STAGING_BUCKET: bucketSchema.optional(),
    SFTP_HOST_KEY_FINGERPRINTS: z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      )
      .pipe(z.array(fingerprintSchema))
      .optional(),
    CONFIG_SOURCE: z.string().min(1).default('configs'),
    PUBSUB_EMULATOR_HOST: emulatorHost,
    STORAGE_EMULATOR_HOST: z.string().min(1).optional(),
    BIGQUERY_EMULATOR_HOST: z.string().min(1).optional(),
    /** The Storage Read API server (gRPC, insecure channel), e.g. the local BigQuery's. */
    BIGQUERY_STORAGE_EMULATOR_HOST: emulatorHost,
    /** Query results of at least this many rows are read over the Storage Read API; smaller ones through REST. */
    STORAGE_READ_MIN_ROWS: z
      .string()
      .regex(/^[0-9]{1,15}$/, 'expected a whole number of rows >= 0')
      .transform(Number)
      .default(DEFAULT_STORAGE_READ_MIN_ROWS),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** 0: any free port (tests), as the service runtime allows. */
    PORT: portNumber(0).default(8080),
    TRACE_EXPORTER: z.enum(['none', 'cloud-trace', 'file', 'console']).default('none'),
    TRACE_FILE: optionalText,
    TRACE_SAMPLE_RATIO: z
      .string()
      .regex(/^(0(\.[0-9]+)?|1(\.0+)?)$/, 'expected a ratio 0-1')
      .transform(Number)
      .default(1),
  })
  .refine((env) => env.TRACE_EXPORTER !== 'file' || env.TRACE_FILE !== undefined, {
    path: ['TRACE_FILE'],
    message: 'required with TRACE_EXPORTER=file',
  });

/** Reads secrets by environment variable name; the one place secrets leave the environment. */
export interface SecretEnvironment {
  /** The secret in `name`, or `undefined` when unset or empty. */
  get(name: string): Secret | undefined;
}

/** The process environment, parsed once at start-up. Secrets are only reachable via `secrets`. */
export interface Environment {
  readonly sftpHost?: string;
  readonly sftpUsername?: string;
  /** Port of the seed's `sftp` block, overriding its `port` (the local run's servers use high ports). */
  readonly sftpPort?: number;
  /** Comma-separated `SHA256:…` pins for the seed's `sftp` block when the config has none. */
  readonly sftpHostKeyFingerprints?: readonly string[];
  readonly googleApplicationCredentials?: string;
  readonly googleCloudProject?: string;
  readonly stagingBucket?: string;
  /** A directory (`configs`) or `gs://bucket/prefix`. Default `configs`. */
  readonly configSource: string;
  readonly pubsubEmulatorHost?: string;
  readonly storageEmulatorHost?: string;
  readonly bigqueryEmulatorHost?: string;
  /** `BIGQUERY_STORAGE_EMULATOR_HOST`: where the Storage Read API is (local: insecure gRPC). */
  readonly bigqueryStorageEmulatorHost?: string;
  /** `STORAGE_READ_MIN_ROWS` (default 100 000): results this large are read over the Storage Read API. */
  readonly storageReadMinRows: number;
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  readonly port: number;
  /** `TRACE_EXPORTER` (`none`, `cloud-trace`, `file`, `console`), `TRACE_FILE`, `TRACE_SAMPLE_RATIO`. */
  readonly tracing: TracingSettings;
  readonly secrets: SecretEnvironment;
}

/** The secrets of `env`, without parsing the rest (`bq-sftp validate` checks keys it is given). */
export function secretEnvironment(env: Readonly<Record<string, string | undefined>>): SecretEnvironment {
  const snapshot = new Map(Object.entries(env));
  const secrets: SecretEnvironment = {
    get(name) {
      const value = snapshot.get(name);
      return value === undefined || value === '' ? undefined : new Secret(name, value);
    },
  };
  Object.defineProperty(secrets, 'toJSON', { value: () => '[secrets]' });
  return Object.freeze(secrets);
}

/**
 * Parses the environment (the seed's variables keep their names) into a frozen object. Empty
 * values count as unset. Throws `ENVIRONMENT_INVALID` naming every bad variable, never its value.
 */
export function parseEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Environment {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  // Push endpoint: BIND_HOST, PUSH_AUTH, PUSH_AUDIENCE, PUSH_SERVICE_ACCOUNT (the runtime's rules).
  const pushProblems = readPushEndpointSettings(present).problems.map((problem) => {
    const colon = problem.indexOf(': ');
    return { path: problem.slice(0, colon), message: problem.slice(colon + 2) };
  });
  if (!parsed.success || pushProblems.length > 0) {
    const problems = [...(parsed.success ? [] : zodProblems(parsed.error.issues)), ...pushProblems];
    throw new AppError(
      `environment is invalid: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
      {
        code: ENVIRONMENT_INVALID,
        retryable: false,
        details: { variables: problems.map((problem) => problem.path) },
      },
    );
  }
  const value = parsed.data;
  const optional = <K extends string>(key: K, text: string | undefined): { [P in K]?: string } =>
    (text === undefined ? {} : { [key]: text }) as { [P in K]?: string };
  return Object.freeze({
    ...optional('sftpHost', value.SFTP_HOST),
    ...optional('sftpUsername', value.SFTP_USERNAME),
    ...(value.SFTP_PORT === undefined ? {} : { sftpPort: value.SFTP_PORT }),
    ...(value.SFTP_HOST_KEY_FINGERPRINTS === undefined
      ? {}
      : { sftpHostKeyFingerprints: value.SFTP_HOST_KEY_FINGERPRINTS }),
    ...optional('googleApplicationCredentials', value.GOOGLE_APPLICATION_CREDENTIALS),
    ...optional('googleCloudProject', value.GOOGLE_CLOUD_PROJECT),
    ...optional('stagingBucket', value.STAGING_BUCKET),
    configSource: value.CONFIG_SOURCE,
    ...optional('pubsubEmulatorHost', value.PUBSUB_EMULATOR_HOST),
    ...optional('storageEmulatorHost', value.STORAGE_EMULATOR_HOST),
    ...optional('bigqueryEmulatorHost', value.BIGQUERY_EMULATOR_HOST),
    ...optional('bigqueryStorageEmulatorHost', value.BIGQUERY_STORAGE_EMULATOR_HOST),
    storageReadMinRows: value.STORAGE_READ_MIN_ROWS,
    logLevel: value.LOG_LEVEL,
    port: value.PORT,
    tracing: Object.freeze({
      exporter: value.TRACE_EXPORTER,
      ...optional('file', value.TRACE_FILE),
      sampleRatio: value.TRACE_SAMPLE_RATIO,
    }),
    secrets: secretEnvironment(env),
  });
}
