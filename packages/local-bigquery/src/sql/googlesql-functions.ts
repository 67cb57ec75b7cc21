/**
 * GoogleSQL functions DuckDB lacks or spells differently. Each maps to a DuckDB function or to
 * one of the temporary macros below, created on the connection at start.
 */
export const functionRenames: Readonly<Record<string, string>> = {
  SAFE_CAST: 'TRY_CAST',
  UNIX_MICROS: 'epoch_us',
  UNIX_MILLIS: 'epoch_ms',
  UNIX_SECONDS: 'bq_unix_seconds',
  TIMESTAMP_MICROS: 'bq_timestamp_micros',
  TIMESTAMP_MILLIS: 'bq_timestamp_millis',
  TIMESTAMP_SECONDS: 'bq_timestamp_seconds',
  TIMESTAMP_ADD: 'bq_add',
  TIMESTAMP_SUB: 'bq_sub',
  DATETIME_ADD: 'bq_add',
  DATETIME_SUB: 'bq_sub',
  DATE_ADD: 'bq_date_add',
  DATE_SUB: 'bq_date_sub',
  COUNTIF: 'count_if',
  LOGICAL_AND: 'bool_and',
  LOGICAL_OR: 'bool_or',
  GENERATE_UUID: 'bq_generate_uuid',
  SAFE_DIVIDE: 'bq_safe_divide',
  TO_JSON_STRING: 'bq_to_json_string',
  FORMAT_TIMESTAMP: 'bq_format_time',
  FORMAT_DATE: 'bq_format_time',
  FORMAT_DATETIME: 'bq_format_time',
  // DATE(x) of a TIMESTAMP is its UTC date (the connection runs in UTC); DATE(y, m, d) is refused by arity.
  DATE: 'bq_date',
  // Both are inclusive of the end and return a list (BigQuery: an ARRAY).
  GENERATE_ARRAY: 'generate_series',
};

/** Niladic functions GoogleSQL calls with `()` and DuckDB without. */
export const niladicFunctions: Readonly<Record<string, string>> = {
  CURRENT_TIMESTAMP: 'current_timestamp',
  CURRENT_DATE: 'current_date',
  CURRENT_TIME: 'CAST(current_timestamp AS TIME)',
  CURRENT_DATETIME: 'CAST(current_timestamp AS TIMESTAMP)',
};

/** The macros behind `functionRenames` (run once per connection). */
export const macroDefinitions: readonly string[] = [
  'CREATE OR REPLACE TEMP MACRO bq_unix_seconds(ts) AS CAST(floor(epoch_us(ts) / 1000000) AS BIGINT)',
  'CREATE OR REPLACE TEMP MACRO bq_timestamp_micros(n) AS CAST(make_timestamp(CAST(n AS BIGINT)) AS TIMESTAMPTZ)',
  'CREATE OR REPLACE TEMP MACRO bq_timestamp_millis(n) AS CAST(make_timestamp(CAST(n AS BIGINT) * 1000) AS TIMESTAMPTZ)',
  'CREATE OR REPLACE TEMP MACRO bq_timestamp_seconds(n) AS CAST(make_timestamp(CAST(n AS BIGINT) * 1000000) AS TIMESTAMPTZ)',
  'CREATE OR REPLACE TEMP MACRO bq_add(t, iv) AS t + iv',
  'CREATE OR REPLACE TEMP MACRO bq_sub(t, iv) AS t - iv',
  'CREATE OR REPLACE TEMP MACRO bq_date_add(d, iv) AS CAST(d + iv AS DATE)',
  'CREATE OR REPLACE TEMP MACRO bq_date_sub(d, iv) AS CAST(d - iv AS DATE)',
  'CREATE OR REPLACE TEMP MACRO bq_generate_uuid() AS CAST(uuid() AS VARCHAR)',
  'CREATE OR REPLACE TEMP MACRO bq_safe_divide(a, b) AS CASE WHEN b = 0 THEN NULL ELSE a / b END',
  'CREATE OR REPLACE TEMP MACRO bq_to_json_string(x) AS CAST(to_json(x) AS VARCHAR)',
  'CREATE OR REPLACE TEMP MACRO bq_format_time(fmt, t) AS strftime(t, fmt)',
  'CREATE OR REPLACE TEMP MACRO bq_date(x) AS CAST(x AS DATE)',
];
