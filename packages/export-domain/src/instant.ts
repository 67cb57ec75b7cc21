import { DomainError } from './domain-error.js';

/**
 * An instant as whole microseconds since the Unix epoch (UTC).
 *
 * BigQuery's TIMESTAMP has microsecond precision and a JS `Date` only milliseconds, so the
 * domain never holds instants as `Date`. A `bigint` of microseconds compares and subtracts
 * exactly (windows, settle delay, lookback) and converts losslessly to the ISO text that
 * BigQuery takes as a TIMESTAMP query parameter (`formatInstant`).
 */
export type Micros = bigint;

const MICROS_PER_MILLI = 1000n;
export const MICROS_PER_SECOND = 1_000_000n;

const instantPattern =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 instant (`2024-01-02T03:04:05.123456Z`, also with a space, `UTC` or an
 * offset; no zone means UTC as in BigQuery). Digits beyond microseconds are truncated.
 */
export function parseInstant(text: string, field = 'instant'): Micros {
  const match = instantPattern.exec(text.trim());
  if (match === null) {
    throw new DomainError('INSTANT_INVALID', `${field} is not an ISO 8601 timestamp`, field);
  }
  const [, date, time, fraction = '', zoneText] = match;
  const zone = zoneText === undefined || /^(z|utc)$/i.test(zoneText) ? 'Z' : normaliseOffset(zoneText);
  const millis = Date.parse(`${date}T${time}${zone}`);
  // Date.parse rolls 2024-02-30 over to March; a round trip of the calendar date catches it.
  if (Number.isNaN(millis) || new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().slice(0, 10) !== date) {
    throw new DomainError('INSTANT_INVALID', `${field} is not a valid calendar timestamp`, field);
  }
  const micros = BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return BigInt(millis) * MICROS_PER_MILLI + micros;
}

/**
 * Fast path for the ISO text the BigQuery SDK produces (`YYYY-MM-DDTHH:MM:SS[.fffffffff]Z`):
 * `Date.parse` takes the milliseconds, the next three digits add the microseconds. Other text
 * goes through `parseInstant`.
 */
export function parseIsoInstant(text: string): Micros {
  const millis =
    text.length >= 20 && text.charCodeAt(text.length - 1) === 90 /* Z */ ? Date.parse(text) : NaN;
  if (Number.isNaN(millis)) return parseInstant(text, 'TIMESTAMP value');
  const fraction = text.charCodeAt(19) === 46 /* . */ ? text.slice(23, Math.min(26, text.length - 1)) : '';
  const micros = fraction === '' ? 0 : Number(fraction.padEnd(3, '0'));
  return BigInt(millis) * MICROS_PER_MILLI + BigInt(micros);
}

function normaliseOffset(offset: string): string {
  return offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
}

/** Milliseconds since the epoch (a `Date.now()`) as microseconds. */
export function instantFromMillis(millis: number): Micros {
  return BigInt(Math.trunc(millis)) * MICROS_PER_MILLI;
}

/** `2024-01-02T03:04:05.123456Z`: always six fraction digits, always UTC. */
export function formatInstant(micros: Micros): string {
  const { millis, microOfSecond } = splitMicros(micros);
  const iso = new Date(millis).toISOString();
  return `${iso.slice(0, 19)}.${String(microOfSecond).padStart(6, '0')}Z`;
}

/** Floor-divides into epoch milliseconds (for `Date`) and the microsecond within the second. */
export function splitMicros(micros: Micros): { millis: number; microOfSecond: number } {
  let seconds = micros / MICROS_PER_SECOND;
  let rest = micros % MICROS_PER_SECOND;
  if (rest < 0n) {
    rest += MICROS_PER_SECOND;
    seconds -= 1n;
  }
  return { millis: Number(seconds) * 1000, microOfSecond: Number(rest) };
}
