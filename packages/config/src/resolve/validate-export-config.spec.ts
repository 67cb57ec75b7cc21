import { describe, expect, it } from '@jest/globals';

import { isAppError } from '@bq-sftp-export/runtime';

import { seedConfig } from '../testing/seed-config.js';
import { validateExportConfig } from './validate-export-config.js';

type Config = ReturnType<typeof seedConfig>;

function problemsOf(config: unknown): string {
  try {
    validateExportConfig(config, 'test');
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.retryable).toBe(false);
    return error.message;
  }
  throw new Error('expected the config to be invalid');
}

/** The seed config with one change to the first export (or the whole config). */
function withExport(change: Record<string, unknown>, index = 0): Config {
  const config = seedConfig();
  config.exports[index] = { ...config.exports[index], ...change };
  return config;
}
function withTop(change: Record<string, unknown>): Config {
  return { ...seedConfig(), ...change };
}

const destination = {
  host: 'sftp.partner.example',
  username: 'acme',
  auth: { method: 'password', password_env: 'PARTNER_PASSWORD' },
  path: '/inbound',
};

describe('validateExportConfig', () => {
  it('accepts the seed config unchanged and resolves its defaults', () => {
    const config = validateExportConfig(seedConfig(), 'default');
    expect(config.metadataTable).toBe('project.dataset.export_metadata');
    expect(config.exports.map((entry) => entry.name)).toEqual(['shopify_customers', 'klaviyo_customers']);
    expect(config.exports[0]).toMatchObject({
      sourceTable: 'prod_staging.shopify_customerdata',
      fileNameTemplate: 'SHOPIFYCUSTOMERDATA_{datetime}.csv',
      mode: 'incremental',
      timestampColumn: 'last_updated_at',
      format: 'csv',
      compression: 'none',
      destination: 'default',
      emptyExport: 'skip',
      fileNameTimeZone: 'UTC',
    });
    expect(config.exports[0]?.columns).toHaveLength(22);
    expect(config.destinations['default']).toMatchObject({
      port: 22,
      path: '/To_Verite',
      auth: { method: 'password', password_env: 'SFTP_PASSWORD' },
      tempName: '.{name}.part',
      collision: 'fail',
      fileMode: 0o600,
    });
    expect(config.notifications).toEqual({ onSuccess: true, onFailure: true, alerts: { zeroRows: false } });
    expect(Object.isFrozen(config.exports[0]?.columns)).toBe(true);
  });

  it('applies defaults, with an export overriding them and csv merged field by field', () => {
    const config = validateExportConfig(
      {
        ...withExport({
          csv: { delimiter: ';' },
          destination: 'partner',
          lookback_seconds: 300,
          dedupe_key: ['id'],
        }),
        defaults: {
          format: 'csv',
          compression: 'gzip',
          csv: { bom: true, delimiter: '|' },
          file_name_time_zone: 'America/Chicago',
        },
        destinations: { partner: destination },
        notifications: {
          slack: {},
          email: { to: ['ops@example.com'], from: 'bqx@example.com', smtp_host: 'smtp.example.com' },
        },
      },
      'default',
    );
    const [first, second] = config.exports;
    expect(first).toMatchObject({
      compression: 'gzip',
      destination: 'partner',
      lookbackSeconds: 300,
      fileNameTimeZone: 'America/Chicago',
    });
    expect(first?.csv).toMatchObject({ delimiter: ';', bom: true, quote: 'minimal' });
    expect(second?.csv).toMatchObject({ delimiter: '|', bom: true });
    expect(second?.destination).toBe('default');
    expect(config.notifications.slack).toEqual({ webhookUrlEnv: 'SLACK_WEBHOOK_URL' });
    expect(config.notifications.email).toMatchObject({
      smtpPort: 587,
      secure: false,
      passwordEnv: 'EMAIL_PASSWORD',
    });
  });

  it.each<[string, unknown, string]>([
    [
      'a source table with a backtick',
      withExport({ source_table: 'ds.`t`' }),
      'exports[0].source_table: expected a BigQuery table',
    ],
    ['a source table with a semicolon', withExport({ source_table: 'ds.t;DROP' }), 'exports[0].source_table'],
    ['a source table with whitespace', withExport({ source_table: 'ds.t x' }), 'exports[0].source_table'],
    ['a source table with quotes', withExport({ source_table: '"ds"."t"' }), 'exports[0].source_table'],
    ['a source table without dataset', withExport({ source_table: 'table' }), 'exports[0].source_table'],
    [
      'a bad table in the second export',
      withExport({ source_table: 'a.b.c.d' }, 1),
      'exports[1].source_table: expected',
    ],
    [
      'a metadata table with a quote',
      withTop({ metadata_table: "p.d.t'" }),
      'metadata_table: expected a BigQuery table',
    ],
    [
      'a column with a dash',
      withExport({ columns: ['id', 'bad-col'] }),
      'exports[0].columns[1]: expected a column name',
    ],
    [
      'duplicate columns',
      withExport({ columns: ['id', 'id'], timestamp_column: 'id' }),
      'exports[0].columns: expected no duplicate columns',
    ],
    [
      'timestamp column not exported',
      withExport({ timestamp_column: 'updated' }),
      'exports[0].timestamp_column: expected one of `columns`',
    ],
    [
      'incremental without timestamp',
      withExport({ timestamp_column: undefined }),
      'exports[0].timestamp_column: expected a timestamp_column',
    ],
    [
      'unknown placeholder',
      withExport({ destination_filename: 'X_{datetim}.csv' }),
      'exports[0].destination_filename: unknown placeholder {datetim}',
    ],
    [
      'a slash in the file name',
      withExport({ destination_filename: 'sub/X_{date}.csv' }),
      'exports[0].destination_filename: expected no "/"',
    ],
    [
      'an absolute file name',
      withExport({ destination_filename: '/etc/passwd' }),
      'exports[0].destination_filename: expected no "/"',
    ],
    [
      '.. in the file name',
      withExport({ destination_filename: '..{date}' }),
      'exports[0].destination_filename: expected no ".."',
    ],
    [
      'a backslash in the file name',
      withExport({ destination_filename: '..\\x.csv' }),
      'exports[0].destination_filename',
    ],
    [
      'a leading dot',
      withExport({ destination_filename: '.hidden_{date}.csv' }),
      'exports[0].destination_filename: expected no leading "."',
    ],
    [
      'a NUL in the file name',
      withExport({ destination_filename: 'a\u0000{date}.csv' }),
      'exports[0].destination_filename: expected no control characters',
    ],
    [
      'percent-encoded traversal',
      withExport({ destination_filename: '%2e%2e%2f{date}.csv' }),
      'exports[0].destination_filename: expected no percent-encoded',
    ],
    [
      'an unbalanced brace',
      withExport({ destination_filename: 'X_{date.csv' }),
      'exports[0].destination_filename: expected balanced',
    ],
    [
      'duplicate export names',
      withExport({ name: 'shopify_customers' }, 1),
      'exports[1].name: expected a unique name (exports[0] has it)',
    ],
    ['a typo in an export key', withExport({ incremetal: true }), 'exports[0].incremetal: unknown field'],
    ['a typo at the top level', withTop({ metdata_table: 'x' }), 'metdata_table: unknown field'],
    ['a missing sftp path', withTop({ sftp: { port: 22 } }), 'sftp.path: Invalid input'],
    [
      'a port out of range',
      withTop({ sftp: { path: '/x', port: 70000 } }),
      'sftp.port: expected a port 1-65535',
    ],
    ['an unknown format', withExport({ format: 'xlsx' }), 'exports[0].format: Invalid option'],
    [
      'a two-character delimiter',
      withExport({ csv: { delimiter: ';;' } }),
      'exports[0].csv.delimiter: expected a single character',
    ],
    [
      'an unknown quote policy',
      withTop({ defaults: { csv: { quote: 'some' } } }),
      'defaults.csv.quote: Invalid option',
    ],
    [
      'an unknown time zone',
      withExport({ file_name_time_zone: 'Mars/Base' }),
      'exports[0].file_name_time_zone: expected an IANA time zone',
    ],
    [
      'a negative lookback',
      withExport({ lookback_seconds: -1 }),
      'exports[0].lookback_seconds: expected seconds >= 0',
    ],
    [
      'lookback without dedupe key',
      withExport({ lookback_seconds: 60 }),
      'exports[0].dedupe_key: expected a dedupe_key when lookback_seconds > 0',
    ],
    [
      'a dedupe key not exported',
      withExport({ dedupe_key: ['nope'] }),
      'exports[0].dedupe_key[0]: expected one of `columns`',
    ],
    [
      'a start_at without zone',
      withExport({ start_at: '2026-01-01' }),
      'exports[0].start_at: expected an ISO-8601 instant',
    ],
    [
      'an unknown destination',
      withExport({ destination: 'partner' }),
      'exports[0].destination: expected one of the destinations: default',
    ],
    [
      'a default destination without sftp block',
      { ...seedConfig(), sftp: undefined },
      'exports[0].destination: expected a top-level "sftp" block',
    ],
    [
      'a destination named default',
      withTop({ destinations: { default: destination } }),
      'destinations.default: expected another name',
    ],
    [
      'a bad host key fingerprint',
      withTop({ destinations: { p: { ...destination, host_key_fingerprints: ['MD5:aa'] } } }),
      'destinations.p.host_key_fingerprints[0]: expected an OpenSSH fingerprint',
    ],
    [
      'an auth with the secret inline',
      withTop({ destinations: { p: { ...destination, auth: { method: 'password', password: 'x' } } } }),
      'destinations.p.auth.password: unknown field',
    ],
    [
      'an env name in lower case',
      withTop({ destinations: { p: { ...destination, auth: { method: 'password', password_env: 'pw' } } } }),
      'destinations.p.auth.password_env: expected an environment variable name',
    ],
    [
      'a temp name without {name}',
      withTop({ sftp: { path: '/x', temp_name: 'upload.tmp' } }),
      'sftp.temp_name: expected the {name} placeholder',
    ],
    [
      'a temp name escaping',
      withTop({ sftp: { path: '/x', temp_name: '../{name}' } }),
      'sftp.temp_name: expected no "/"',
    ],
    ['an sftp path with ..', withTop({ sftp: { path: '/x/../y' } }), 'sftp.path: expected no ".." segment'],
    [
      'an email without recipients',
      withTop({ notifications: { email: { to: [], from: 'a@b.co', smtp_host: 'h' } } }),
      'notifications.email.to: expected at least one recipient',
    ],
    [
      'a bad sender',
      withTop({ notifications: { email: { to: ['a@b.co'], from: 'nobody', smtp_host: 'h' } } }),
      'notifications.email.from: expected an email address',
    ],
    [
      'a staging bucket in capitals',
      withTop({ staging: { bucket: 'My_Bucket' } }),
      'staging.bucket: expected a Cloud Storage bucket name',
    ],
    [
      'colliding file names',
      withExport({ destination_filename: 'KLAVIYOCUSTOMERDATA_{datetime}.csv' }),
      'exports[1].destination_filename: expected a name different from exports[0]',
    ],
    [
      'an unknown manifest format',
      withTop({ sftp: { path: '/x', manifest: { format: 'xml' } } }),
      'sftp.manifest.format: expected "json", "done" or "ok"',
    ],
    [
      'a manifest block without a format',
      withTop({ destinations: { p: { ...destination, manifest: { name: '{file}.json' } } } }),
      'destinations.p.manifest.format',
    ],
    [
      'a manifest name without {file}',
      withTop({ sftp: { path: '/x', manifest: { format: 'done', name: 'batch.done' } } }),
      'sftp.manifest.name: expected the {file} placeholder',
    ],
    [
      'a manifest name with an unknown placeholder',
      withTop({ sftp: { path: '/x', manifest: { format: 'json', name: '{file}.{datetime}.json' } } }),
      'sftp.manifest.name: unknown placeholder {datetime}; expected one of {file}, {export}',
    ],
    [
      'a manifest name leaving the directory',
      withTop({ sftp: { path: '/x', manifest: { format: 'json', name: '../{file}.json' } } }),
      'sftp.manifest.name: expected no "/"',
    ],
    [
      'a manifest name over 255 bytes',
      withTop({ sftp: { path: '/x', manifest: { format: 'ok', name: `{file}.${'m'.repeat(260)}` } } }),
      'sftp.manifest.name: expected at most 255 bytes',
    ],
    [
      'a manifest named as the data file',
      withTop({ destinations: { p: { ...destination, manifest: { format: 'json', name: '{file}' } } } }),
      'destinations.p.manifest.name: the manifest name renders as the data file name',
    ],
    [
      "a manifest named as the data file's temporary name",
      withTop({ sftp: { path: '/x', manifest: { format: 'done', name: '.{file}.part' } } }),
      'sftp.manifest.name: expected no leading "."',
    ],
    [
      "a manifest named as the data file's temporary name (custom temp_name)",
      withTop({
        sftp: { path: '/x', temp_name: '{name}.tmp', manifest: { format: 'done', name: '{file}.tmp' } },
      }),
      "sftp.manifest.name: the manifest name renders as the data file's temporary name (temp_name)",
    ],
    [
      "a manifest named as the data file's temporary name (with the pgp suffix)",
      withTop({
        destinations: {
          p: {
            ...destination,
            temp_name: '{name}.{run_id}',
            pgp: { recipients: [{ public_key_env: 'PARTNER_PGP' }], file_suffix: '.pgp' },
            manifest: { format: 'ok', name: '{file}.{run_id}' },
          },
        },
      }),
      "destinations.p.manifest.name: the manifest name renders as the data file's temporary name",
    ],
    ['no exports', withTop({ exports: [] }), 'exports: expected at least one export'],
    [
      'a volume drop ratio of 0',
      withTop({ notifications: { alerts: { volume: { drop_below: 0 } } } }),
      'notifications.alerts.volume.drop_below: expected a ratio > 0',
    ],
    [
      'a volume drop ratio above the spike ratio',
      withTop({ notifications: { alerts: { volume: { drop_below: 3 } } } }),
      'notifications.alerts.volume.spike_above: expected drop_below < spike_above',
    ],
    [
      'more volume min_runs than runs',
      withTop({ notifications: { alerts: { volume: { runs: 3, min_runs: 4 } } } }),
      'notifications.alerts.volume.min_runs: expected min_runs <= runs',
    ],
    [
      'an unknown alert',
      withTop({ notifications: { alerts: { freshness: 1 } } }),
      'notifications.alerts.freshness: unknown field',
    ],
    [
      'a freshness window under a minute',
      withTop({ notifications: { alerts: { freshness_seconds: 59 } } }),
      'notifications.alerts.freshness_seconds: Too small: expected number to be >=60',
    ],
    ['a config that is not an object', [], '(root): Invalid input: expected object'],
  ])('rejects %s', (_name, config, expected) => {
    expect(problemsOf(config)).toContain(expected);
  });

  it('resolves the alerts with their defaults: each one off until configured', () => {
    const alerts = (input: unknown): unknown =>
      validateExportConfig(withTop({ notifications: { alerts: input } }), 'test').notifications.alerts;
    expect(alerts({})).toEqual({ zeroRows: false });
    expect(
      alerts({ zero_rows: true, volume: {}, watermark_stalled_runs: 3, freshness_seconds: 3600 }),
    ).toEqual({
      zeroRows: true,
      volume: { runs: 10, minRuns: 5, dropBelow: 0.5, spikeAbove: 2 },
      watermarkStalledRuns: 3,
      freshnessSeconds: 3600,
    });
    expect(alerts({ volume: { runs: 4, min_runs: 2, drop_below: 0.2, spike_above: 5 } })).toEqual({
      zeroRows: false,
      volume: { runs: 4, minRuns: 2, dropBelow: 0.2, spikeAbove: 5 },
    });
  });

  it('writes no manifest by default, and applies the default manifest name per format', () => {
    expect(validateExportConfig(seedConfig(), 'default').destinations['default']?.manifest).toBeUndefined();
    const config = validateExportConfig(
      withTop({
        sftp: { path: '/x', manifest: { format: 'json' } },
        destinations: {
          done: { ...destination, manifest: { format: 'done' } },
          ok: { ...destination, manifest: { format: 'ok' } },
          named: { ...destination, manifest: { format: 'json', name: '{export}_{run_id}_{file}.json' } },
        },
      }),
      'default',
    );
    expect(config.destinations['default']?.manifest).toEqual({
      format: 'json',
      name: '{file}.manifest.json',
    });
    expect(config.destinations['done']?.manifest).toEqual({ format: 'done', name: '{file}.done' });
    expect(config.destinations['ok']?.manifest).toEqual({ format: 'ok', name: '{file}.ok' });
    expect(config.destinations['named']?.manifest?.name).toBe('{export}_{run_id}_{file}.json');
  });

  it('reads file_mode as octal permission bits, in the sftp block and named destinations', () => {
    const config = validateExportConfig(
      withTop({
        sftp: { path: '/To_Verite', file_mode: '0640' },
        destinations: { partner: { ...destination, file_mode: '444' } },
      }),
      'test',
    );
    expect(config.destinations['default']?.fileMode).toBe(0o640);
    expect(config.destinations['partner']?.fileMode).toBe(0o444);
    expect(
      validateExportConfig(withTop({ destinations: { partner: destination } }), 'test').destinations[
        'partner'
      ]?.fileMode,
    ).toBe(0o600);
  });

  it.each([
    ['a number (decimal 640 is not 0640)', 640, 'expected an octal string such as "0640"'],
    ['setuid, setgid or sticky bits', '4755', 'expected permission bits as an octal string "0000"-"0777"'],
    ['a digit that is not octal', '0680', 'expected permission bits as an octal string'],
    ['symbolic permissions', 'rw-r-----', 'expected permission bits as an octal string'],
    ['too many digits', '00640', 'expected permission bits as an octal string'],
  ])('rejects a file_mode that is %s, naming the field', (_name, mode, expected) => {
    expect(problemsOf(withTop({ sftp: { path: '/To_Verite', file_mode: mode } }))).toContain(
      `sftp.file_mode: ${expected}`,
    );
    expect(problemsOf(withTop({ destinations: { partner: { ...destination, file_mode: mode } } }))).toContain(
      `destinations.partner.file_mode: ${expected}`,
    );
  });

  it('reports every problem at once, one per line, with its path', () => {
    const config = withExport({
      source_table: 'bad table',
      incremetal: true,
      destination_filename: '{nope}.csv',
    });
    config.exports[1] = { ...config.exports[1], name: 'shopify_customers', columns: [] };
    const message = problemsOf({ ...config, metdata_table: 'x' });
    expect(message).toMatch(/^config "test" is invalid \(7 problems\):/);
    for (const path of [
      'exports[0].source_table',
      'exports[0].incremetal',
      'exports[0].destination_filename: unknown placeholder {nope}',
      'exports[1].columns',
      'exports[1].timestamp_column: expected one of `columns`',
      'exports[1].name',
      'metdata_table',
    ]) {
      expect(message).toContain(`\n  ${path}`);
    }
  });

  it('does not echo values of bad fields', () => {
    const message = problemsOf(
      withExport({ source_table: 'ds.secret table', columns: ['id', 'hunter2 pw'] }),
    );
    expect(message).not.toContain('secret table');
    expect(message).not.toContain('hunter2');
  });
});
