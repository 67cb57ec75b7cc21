/** Row values of the bad-input tables: each one must reach the partner's file and nothing else. */
export const ROW_SENTINELS = {
  auth: 'auth-row-sentinel-8d21',
  everyType: 'every-type-sentinel-3b7e, "quoted"',
  big: 'big-value-sentinel-',
} as const;

/** The big value: ~10 MB (10 × 2^20 bytes) of one STRING cell. */
export const BIG_VALUE_BYTES = 10 * 1024 * 1024;
const bigRepeats = Math.floor(BIG_VALUE_BYTES / ROW_SENTINELS.big.length);
export const BIG_VALUE_LENGTH = bigRepeats * ROW_SENTINELS.big.length;

/** Bytes that are not UTF-8 (a lone 0xff, a NUL, a stray continuation byte, a cut sequence). */
export const NON_UTF8 = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]);

const hex = (bytes: Buffer): string =>
  [...bytes].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');

/**
 * GoogleSQL for the bad-input tables: a canary the injections aim at, rows for the SFTP
 * failures, an empty table, every type (one row of values, one of NULLs), a 10 MB value and
 * bytes that are not UTF-8.
 */
export function badInputTablesSql(): string[] {
  return [
    'CREATE SCHEMA IF NOT EXISTS bad_input',
    'CREATE TABLE bad_input.canary (id INT64)',
    'INSERT INTO bad_input.canary (id) VALUES (1)',
    'CREATE TABLE bad_input.auth_rows (id INT64, value STRING)',
    `INSERT INTO bad_input.auth_rows (id, value) VALUES (1, '${ROW_SENTINELS.auth}')`,
    'CREATE TABLE bad_input.empty_rows (id INT64, value STRING)',
    `CREATE TABLE bad_input.every_type (s STRING, b BYTES, i INT64, f FLOAT64, n NUMERIC, bn BIGNUMERIC,
      bo BOOL, ts TIMESTAMP, d DATE, t TIME, dt DATETIME, j JSON)`,
    `INSERT INTO bad_input.every_type (s, b, i, f, n, bn, bo, ts, d, t, dt, j) VALUES
      ('${ROW_SENTINELS.everyType.replace(/'/g, "\\'")}\\nsecond line', b'${hex(NON_UTF8)}', -9223372036854775808,
       1.5e300, NUMERIC '-123.456789', BIGNUMERIC '12345678901234567890.123456789012345678', TRUE,
       TIMESTAMP '2026-11-26 05:00:00.123456 UTC', DATE '2026-11-26', TIME '23:59:59.999999',
       DATETIME '2026-11-26 05:00:00', JSON '{"k": [1, null, "v"]}'),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
    `CREATE TABLE bad_input.big_value AS SELECT 1 AS id, REPEAT('${ROW_SENTINELS.big}', ${bigRepeats}) AS value`,
    'CREATE TABLE bad_input.bytes_rows (id INT64, raw BYTES)',
    `INSERT INTO bad_input.bytes_rows (id, raw) VALUES (1, b'${hex(NON_UTF8)}')`,
  ];
}

/** The every-type table's columns, in file order. */
export const EVERY_TYPE_COLUMNS = ['s', 'b', 'i', 'f', 'n', 'bn', 'bo', 'ts', 'd', 't', 'dt', 'j'];

type Json = Record<string, unknown>;

/**
 * The bad-input config: full exports of each table to the working destination (`default`) and
 * of `auth_rows` to destinations that fail: a wrong password, a wrong key passphrase, a host key
 * that is not the pinned one, a password variable that is not set.
 */
export function badInputConfig(
  demo: Json,
  server: {
    host: string;
    port: number;
    username: string;
    path: string;
    fingerprint: string;
    otherFingerprint: string;
  },
): Json {
  const file = (name: string, source: string, columns: string[], extra: Json = {}): Json => ({
    name,
    source_table: `bad_input.${source}`,
    destination_filename: `{export}_{datetime}.csv`,
    columns,
    ...extra,
  });
  const destination = (auth: Json, fingerprint = server.fingerprint): Json => ({
    host: server.host,
    port: server.port,
    username: server.username,
    path: server.path,
    auth,
    host_key_fingerprints: [fingerprint],
  });
  return {
    metadata_table: demo['metadata_table'],
    notifications: demo['notifications'],
    sftp: demo['sftp'],
    destinations: {
      wrong_password: destination({ method: 'password', password_env: 'PARTNER_PASSWORD_WRONG' }),
      wrong_passphrase: destination({
        method: 'private_key',
        private_key_env: 'PARTNER_KEY',
        passphrase_env: 'PARTNER_KEY_PASSPHRASE_WRONG',
      }),
      unknown_host_key: destination(
        { method: 'password', password_env: 'SFTP_PASSWORD' },
        server.otherFingerprint,
      ),
      missing_secret: destination({ method: 'password', password_env: 'PARTNER_PASSWORD_NOT_SET' }),
    },
    exports: [
      file('to_wrong_password', 'auth_rows', ['id', 'value'], { destination: 'wrong_password' }),
      file('to_wrong_passphrase', 'auth_rows', ['id', 'value'], { destination: 'wrong_passphrase' }),
      file('to_unknown_host_key', 'auth_rows', ['id', 'value'], { destination: 'unknown_host_key' }),
      file('to_missing_secret', 'auth_rows', ['id', 'value'], { destination: 'missing_secret' }),
      file('empty_skipped', 'empty_rows', ['id', 'value']),
      file('empty_as_file', 'empty_rows', ['id', 'value'], { empty_export: 'empty_file' }),
      file('every_type', 'every_type', EVERY_TYPE_COLUMNS),
      file('big_value', 'big_value', ['id', 'value']),
      file('non_utf8_bytes', 'bytes_rows', ['id', 'raw']),
    ],
  };
}
