import { InvalidArgumentError } from 'commander';

/** Collects a repeatable option (`--export a --export b`). */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** A positive integer option value. */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

/** An ISO-8601 instant with a time zone (`2026-01-01T00:00:00Z`). */
export function instant(value: string): string {
  if (
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value) ||
    Number.isNaN(Date.parse(value))
  )
    throw new InvalidArgumentError(
      'expected an ISO-8601 instant with a time zone, e.g. 2026-01-01T00:00:00Z',
    );
  return value;
}
