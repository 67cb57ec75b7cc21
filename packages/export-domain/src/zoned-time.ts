import { DomainError } from './domain-error.js';
import { splitMicros, type Micros } from './instant.js';

/** Calendar fields of an instant in a time zone (24-hour clock). */
export interface ZonedFields {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
  /** Microsecond within the second, six digits. */
  readonly micros: string;
  /** Offset from UTC in minutes (`-360` for CST). */
  readonly offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The cached formatter of an IANA zone; an unknown zone is a configuration error. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch (error) {
      throw new DomainError('TIME_ZONE_INVALID', `time_zone is not an IANA time zone name`, 'time_zone', {
        cause: error,
      });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws unless `timeZone` is a valid IANA name. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** Splits an instant into calendar fields in `timeZone` (IANA name, e.g. `America/Chicago`). */
export function zonedFields(micros: Micros, timeZone: string): ZonedFields {
  const { millis, microOfSecond } = splitMicros(micros);
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(millis)) parts[part.type] = part.value;
  const year = (parts['year'] ?? '').padStart(4, '0');
  const [month = '', day = '', hour = '', minute = '', second = ''] = [
    parts['month'],
    parts['day'],
    parts['hour'],
    parts['minute'],
    parts['second'],
  ];
  // Date.UTC maps years 0–99 to 1900–1999, so the year is set separately.
  const local = new Date(
    Date.UTC(2000, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)),
  );
  local.setUTCFullYear(Number(year));
  const localMillis = local.getTime();
  const wholeSecondMillis = millis - (((millis % 1000) + 1000) % 1000);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    micros: String(microOfSecond).padStart(6, '0'),
    offsetMinutes: Math.round((localMillis - wholeSecondMillis) / 60_000),
  };
}

/** `+HH:MM` / `-HH:MM` for an offset in minutes. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
