import { z } from 'zod';

/**
 * A BigQuery table `[project.]dataset.table`: project ids are lowercase letters, digits and `-`;
 * datasets letters, digits and `_`; tables letters, digits, `_` and `-`. Nothing that could
 * close a quoted identifier: no backticks, quotes, whitespace or semicolons.
 */
export const TABLE_NAME_PATTERN =
  /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]\.)?[A-Za-z0-9_]{1,1024}\.[A-Za-z0-9_][A-Za-z0-9_-]{0,1023}$/;

export const tableNameSchema = z
  .string()
  .regex(
    TABLE_NAME_PATTERN,
    'expected a BigQuery table [project.]dataset.table (letters, digits, "_", "-"; no backticks, quotes, whitespace or semicolons)',
  );

/** A BigQuery column name, as the query builder will quote it. */
export const columnNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,299}$/, 'expected a column name [A-Za-z_][A-Za-z0-9_]*');

/** The name of an environment variable that holds a secret (never the secret itself). */
export const envVarNameSchema = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'expected an environment variable name [A-Z_][A-Z0-9_]*');

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone such as `UTC` or `America/Chicago`. */
export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, 'expected an IANA time zone such as "America/Chicago"');

/** A host name or IP address (no scheme, no port). */
export const hostSchema = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$|^\[?[0-9A-Fa-f:.]+\]?$/,
    'expected a host name or IP address',
  )
  .max(253, 'expected at most 253 characters');

export const portSchema = z
  .number()
  .int('expected an integer port')
  .min(1, 'expected a port 1-65535')
  .max(65535, 'expected a port 1-65535');

/** A Google Cloud project id. */
export const projectIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'expected a Google Cloud project id');

/** A Cloud Storage bucket name. */
export const bucketSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'expected a Cloud Storage bucket name');
